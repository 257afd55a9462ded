"""Typed readers for the environment, and the embedded default's home folder.

Every setting the operator may change comes from an environment variable documented in
`.env.example`. Secrets are never in git. Outside demo mode every key must be given in the
environment (`required_secrets`); only when CHENGXIN_GENERATE_SECRETS is on (the default in demo
mode, and in the test settings) are missing ones generated once into files under
`$CHENGXIN_HOME/secrets/` with mode 0600. See docs/keys.md.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

REPO_ROOT = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    """Return the variable `name`, or `default`; fail at start-up when required and missing."""
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be a boolean, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name} must be an integer.") from exc


def home() -> Path:
    """The folder that holds the embedded database, generated secrets and collected static files."""
    path = Path(env_str("CHENGXIN_HOME", str(REPO_ROOT / "var")))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_from_env_or_file(name: str, filename: str, nbytes: int = 32) -> str:
    """Return the secret in `name`, or one generated once into `home()/secrets/filename`."""
    value = os.environ.get(name)
    if value and value.strip():
        return value
    folder = home() / "secrets"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / filename
    if not path.exists():
        token = secrets.token_urlsafe(nbytes)
        # O_EXCL: two processes starting at once must not both write a different secret.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(token)
    return path.read_text().strip()


class MissingSecrets(ImproperlyConfigured):
    """Keys the platform cannot start without; `chengxin` prints the message without a trace."""


def required_secrets(specs: dict[str, tuple[str, int]], *, generate: bool) -> dict[str, str]:
    """The value of each variable in `specs` (name → (file name, bytes)), all or none.

    Without `generate`, a missing (or empty) variable stops start-up naming every one missing:
    a key generated silently on one host leaves a second host, or a restored backup without the
    folder, unable to read what the first encrypted. With it (demo, tests), a missing key is
    read from, or generated once into, `home()/secrets/<file name>`.
    """
    missing = [name for name in specs if not os.environ.get(name, "").strip()]
    if missing and not generate:
        names = ", ".join(missing)
        # An installation that ran on generated keys must keep them: a new data key would leave
        # every ID number encrypted so far unreadable.
        found = [home() / "secrets" / specs[name][0] for name in missing]
        kept = "".join(
            f" {name}: this installation has used the key in {path} so far; set it to that."
            for name, path in zip(missing, found, strict=True)
            if path.exists()
        )
        raise MissingSecrets(
            f"Missing {names}. Outside demo mode every key must be set in the environment "
            f"(缺少密钥 {names}：生产环境须在环境变量中设置全部密钥).{kept} "
            "See docs/keys.md for what each key protects and how to create, back up and "
            "restore it. (CHENGXIN_GENERATE_SECRETS=1 generates them into "
            "$CHENGXIN_HOME/secrets/ instead: for a demo or a trial on one host only.)"
        )
    return {
        name: secret_from_env_or_file(name, filename, nbytes)
        for name, (filename, nbytes) in specs.items()
    }


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated variable as a list of its non-empty items."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


EXCHANGE_OBJECTS = ("license", "penalty", "list_entry", "repair")


def exchange_channels(home: Path) -> dict[str, dict[str, object]]:
    """The upward-reporting channels (docs/exchange.md, "Channels"): CHENGXIN_EXCHANGE_CHANNELS
    names them, and each name's CHENGXIN_EXCHANGE_<NAME>_* variables describe one. A channel
    without a URL writes its batches into a folder (the embedded default)."""
    channels: dict[str, dict[str, object]] = {}
    for name in env_list("CHENGXIN_EXCHANGE_CHANNELS", "city"):
        key = name.lower()
        prefix = f"CHENGXIN_EXCHANGE_{key.upper()}_"
        objects = env_list(prefix + "OBJECTS", ",".join(EXCHANGE_OBJECTS))
        unknown = set(objects) - set(EXCHANGE_OBJECTS)
        if unknown:
            raise ImproperlyConfigured(f"{prefix}OBJECTS: unknown {sorted(unknown)}.")
        channels[key] = {
            "label": env_str(prefix + "LABEL", key),
            "url": env_str(prefix + "URL", ""),
            "token": env_str(prefix + "TOKEN", ""),
            "format": env_str(prefix + "FORMAT", "chengxin-v1"),
            "batch_size": env_int(prefix + "BATCH_SIZE", 500),
            "interval_seconds": env_int(prefix + "INTERVAL_SECONDS", 60),
            "timeout_seconds": env_int(prefix + "TIMEOUT_SECONDS", 30),
            "objects": objects,
            "subject_categories": env_list(prefix + "SUBJECT_CATEGORIES"),
            "departments": env_list(prefix + "DEPARTMENTS"),
            "folder": str(Path(env_str(prefix + "FOLDER", str(home / "exchange" / key)))),
        }
    return channels
