"""Case attachments are kept sealed (core.sealed_files): they name the parties, ID numbers too."""

from __future__ import annotations

from chengxin.cases.attachments import folder
from chengxin.core.sealed_files import SealedFolder

FOLDERS = (SealedFolder("case-attachments", folder),)
