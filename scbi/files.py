"""Evidence files on disk: type checked on the content, random names, all-or-nothing.

A file written during a transaction is deleted again if that transaction rolls back; a
file removed during a transaction leaves the disk only once it commits. So a failure
half-way never leaves a record without its file, nor a file without its record.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from scbi import archives
from scbi.downloads import Download
from scbi.errors import NotFound, TooLarge, ValidationFailed

MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024

# extension -> (content type, kind the content must show)
ALLOWED = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "gif": ("image/gif", "gif"),
    "webp": ("image/webp", "webp"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    "doc": ("application/msword", "ole"),
    "xls": ("application/vnd.ms-excel", "ole"),
    "ppt": ("application/vnd.ms-powerpoint", "ole"),
    "odt": ("application/vnd.oasis.opendocument.text", "odt"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
    "csv": ("text/csv", "text"),
    "txt": ("text/plain", "text"),
}


class FileRefused(ValueError):
    """The file is too large, empty, of a type not allowed, or not what its name says."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    content_type: str
    size: int
    sha256: str


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def path_of(stored_name: str) -> Path:
    # Stored names are our own hex tokens; refuse anything else rather than join a path.
    if not (len(stored_name) == 32 and all(c in "0123456789abcdef" for c in stored_name)):
        raise FileRefused("not a stored file name")
    return upload_root() / stored_name[:2] / stored_name


def detect(head: bytes, path: Path, size: int) -> str | None:
    """What the content is, from its first bytes (and, for zip files, their member names:
    see scbi.archives, which refuses zip bombs without unpacking them)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        try:
            return archives.zip_kind(path, size)
        except archives.UnsafeArchive:
            raise FileRefused("archive") from None
    if b"\x00" not in head:
        try:
            path.read_bytes().decode("utf-8")  # at most MAX_BYTES
            return "text"
        except UnicodeDecodeError:
            return None
    return None


def store(stream: BinaryIO, filename: str, session: Session) -> StoredFile:
    """Write ``stream`` under a random name if its content is allowed and matches its name.

    Raises FileRefused. The file is removed again if ``session``'s transaction rolls back.
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in ALLOWED:
        raise FileRefused("type")
    content_type, kind = ALLOWED[extension]
    stored_name = secrets.token_hex(16)
    final = path_of(stored_name)
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_suffix(".part")
    digest, size = hashlib.sha256(), 0
    try:
        with open(temporary, "xb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FileRefused("size")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise FileRefused("empty")
        with open(temporary, "rb") as check:
            head = check.read(64)
        if detect(head, temporary, size) != kind:
            raise FileRefused("content")
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)
    session.info.setdefault("files_written", []).append(final)
    return StoredFile(stored_name, content_type, size, digest.hexdigest())


def refusal_message(reason: str, extension: str) -> str:
    """Why :func:`store` refused a file (its FileRefused reason), in the reader's words."""
    if reason == "size":
        return _("The file is larger than 10 MB.")
    if reason == "empty":
        return _("The file is empty.")
    if reason == "archive":
        return _(
            "The file was not stored: it is a compressed archive that would unpack to more "
            "than 100 MB (or more than 100 times its size), has too many parts, or does not "
            "match its own table of contents. Save the document again and upload it."
        )
    if reason == "content":
        return _("The file's content is not what its name says (a %(ext)s file).", ext=extension)
    return _(
        "Allowed: PDF, Word, Excel, PowerPoint, OpenDocument, images (PNG, JPEG, GIF, "
        "WebP), CSV and plain text."
    )


def safe_name(filename: str) -> str:
    """The file's own name without any path, for display and Content-Disposition."""
    name = PurePath(filename.replace("\\", "/")).name.strip()
    name = "".join(c for c in name if c.isprintable() and c not in '"<>|:*?')
    return name[:255] or "evidence"


def store_upload(
    stream: BinaryIO, filename: str, session: Session, *, field: str = "file"
) -> tuple[str, StoredFile]:
    """:func:`store` an uploaded file under its safe name; a refusal is an error naming
    ``field``: TooLarge (413) over the size limit, else ValidationFailed (422,
    ``file_refused``). Returns the safe name and the stored file."""
    name = safe_name(filename or "")
    try:
        stored = store(stream, name, session)
    except FileRefused as refusal:
        ext = name.rsplit(".", 1)[-1].upper() if "." in name else "?"
        message = {field: [refusal_message(str(refusal), ext)]}
        if str(refusal) == "size":
            raise TooLarge(fields=message) from None
        raise ValidationFailed(fields=message, code="file_refused") from None
    return name, stored


def delete_after_commit(stored_name: str, session: Session) -> None:
    session.info.setdefault("files_removed", []).append(path_of(stored_name))


def stored_download(
    stored_name: str, content_type: str, download_name: str, *, inline: bool = False
) -> Download:
    """A stored file to download under ``download_name``, with the type :func:`store`
    checked on its content, as someone's upload (never sniffed, sandboxed). ``inline``
    opens it in the browser when that type is an image or a PDF
    (``scbi.downloads.INLINE_TYPES``); any other file is saved. Raises NotFound when it is
    not on disk."""

    path = path_of(stored_name)
    if not path.exists():
        raise NotFound
    return Download(download_name, content_type, path, untrusted=True, inline=inline)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop("files_written", None)
    for path in session.info.pop("files_removed", []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    for path in session.info.pop("files_written", []):
        path.unlink(missing_ok=True)
    session.info.pop("files_removed", None)
