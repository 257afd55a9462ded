"""The `chengxin` console command: Django's management commands under the project's name.

chengxin demo [--seed N] [--port P] [--no-serve]   build and serve the demo district
chengxin serve [--port P] [--workers N]            the production server (gunicorn)
chengxin audit verify | anchor                     check the audit chain; write an anchor
chengxin rotate_data_key                           re-encrypt personal data under a new key
chengxin setup --region-code C --credit-code U     first-run setup of a real district
chengxin setup --template KIND | --load KIND FILE  the district's organisation, from files
chengxin backup [--output FOLDER]                  back up the database and the uploaded files
chengxin restore FOLDER [--force]                  restore a backup (recorded in the audit log)
chengxin seal_files [--check]                      seal files stored in plain text by older versions
chengxin <any Django command>                      e.g. chengxin migrate
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengxin.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "chengxin"
    if len(args) > 1 and args[1] == "demo":
        # The settings are read before the command runs: the demo says so first, so its keys
        # are generated (CHENGXIN_GENERATE_SECRETS follows demo mode; docs/keys.md).
        os.environ.setdefault("CHENGXIN_DEMO", "1")
    from django.core.management import execute_from_command_line

    from chengxin.config import MissingSecrets

    try:
        execute_from_command_line(args)
    except MissingSecrets as exc:  # an operator's message, not a traceback
        sys.exit(f"chengxin: {exc}")


if __name__ == "__main__":  # `python -m chengxin.cli`, as core.supervision launches it
    main()
