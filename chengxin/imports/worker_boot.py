"""Start-up of an import's validation process (spawned: it must import no model before setup)."""

import os
import signal


def start(parent_pid: int | None = None) -> None:
    """Die with the process that runs the import (`parent_pid`), then set Django up.

    Killed with its parent: a validation process left behind would hold its memory (~80 MB) and
    wait for work that never comes.
    """
    from chengxin.core.supervision import die_with_parent, lower_priority

    if parent_pid is not None:
        die_with_parent(parent_pid, signal.SIGKILL)
    # CPU work that holds no lock: the web workers come first. (Not the writing process: niced,
    # it would hold SQLite's write lock longer whenever the site is busy.)
    lower_priority()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengxin.settings")
    import django

    django.setup()
