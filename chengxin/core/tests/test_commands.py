"""A refusal on the command line is one Chinese sentence with its exit status, no class name."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper

from chengxin.accounts.management.commands.setup import Command as SetupCommand


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    command = SetupCommand()
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["chengxin", "setup", *argv])
    return int(exited.value.code or 0), capsys.readouterr().err


@pytest.mark.django_db
def test_a_refusal_on_the_command_line_reads_as_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["--no-input"], capsys)
    assert code == 2
    assert err.startswith("错误：使用 --no-input 时必须给出 --region-code")
    assert "CommandError" not in err and "Refusal" not in err and "Traceback" not in err


@pytest.mark.django_db
def test_with_traceback_the_error_is_raised_for_the_developer() -> None:
    command = SetupCommand()
    command.stderr = OutputWrapper(open("/dev/null", "w"))  # noqa: SIM115
    with pytest.raises(CommandError, match="--region-code"):
        command.run_from_argv(["chengxin", "setup", "--no-input", "--traceback"])


@pytest.mark.django_db
def test_called_from_code_the_error_is_raised_unchanged() -> None:
    with pytest.raises(CommandError, match="--region-code"):
        call_command("setup", no_input=True)
