"""Typed readers for the environment, and the embedded default's home folder.

Every setting the operator may change comes from an environment variable documented in
`.env.example`. Secrets are never in git: in the embedded default (no environment given) they are
generated once into files under `$CHENGXIN_HOME/secrets/` with mode 0600.
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
    if value:
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
