"""Importing a Moodle framework file: the preview (nothing stored), a new framework, or the
update of the framework that has the file's idnumber.

Every call parses and checks the file again: what a preview showed is never trusted. The
import first writes the competencies with no core flag, then gives the flags through
``frameworks.set_core``, the one place where core flags change (``store.py``).
"""

from __future__ import annotations

from scbi.programme.framework_import.preview import (
    CITATIONS,
    Changes,
    ImportPreview,
    Kept,
    PreviewItem,
    preview_import,
    tree_items,
)
from scbi.programme.framework_import.store import ImportResult, import_framework

__all__ = [
    "CITATIONS",
    "Changes",
    "ImportPreview",
    "ImportResult",
    "Kept",
    "PreviewItem",
    "import_framework",
    "preview_import",
    "tree_items",
]
