"""What a zip upload is (Office Open XML or OpenDocument), found without unpacking it.

An upload is at most 10 MB, but a zip of that size can declare gigabytes: reading a member
whole, as ``ZipFile.read`` does, lets a 536-byte file fill a worker's memory. So:

- the member count comes from the end-of-archive record before any directory is parsed
  (at most ``MAX_MEMBERS``);
- an archive declaring more than ``MAX_UNPACKED`` bytes in all, or more than ``MAX_RATIO``
  times its own size, is refused, and so is one whose directory contradicts itself (a
  stored member whose two sizes differ, a member running past the end of the file);
- the kind is told by member names; the only member ever read is ``mimetype`` (the
  OpenDocument marker), from its raw bytes, at most ``READ_CAP`` of them out and in, and it
  must end where its header says with the checksum its header gives: a header that lies
  is found out by reading, never trusted.

Nothing here holds more than ``READ_CAP`` bytes of a member, whatever the archive says.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

MAX_MEMBERS = 10_000
MAX_UNPACKED = 100 * 1000 * 1000  # 100 MB declared, all members together
MAX_RATIO = 100  # declared size : archive size
READ_CAP = 4 * 1024  # the most read of any member, in and out

_END = b"PK\x05\x06"  # end of central directory record (22 bytes + a comment of < 64 KiB)
_LOCAL = b"PK\x03\x04"
_ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_OOXML = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))


class UnsafeArchive(ValueError):
    """The archive declares an absurd size, too many members, or sizes that lie."""


def zip_kind(path: Path, size: int) -> str | None:
    """``docx``, ``xlsx``, ``pptx``, ``odt`` or ``ods``; None for any other or unreadable
    zip. Raises UnsafeArchive (see the module's rules)."""
    members = _members(path, size)
    if members is None:
        return None
    by_name = {member.filename: member for member in members}
    if "mimetype" in by_name:
        content = read_member(path, by_name["mimetype"])
        return _ODF.get(content.decode("ascii", "replace").strip()) if content else None
    if "[Content_Types].xml" not in by_name:
        return None
    for prefix, kind in _OOXML:
        if any(name.startswith(prefix) for name in by_name):
            return kind
    return None


def declared_members(path: Path, size: int) -> int | None:
    """The member count of the end-of-archive record (read from the file's last 64 KiB),
    or None when there is no such record."""
    tail_size = min(size, 22 + 0xFFFF)
    with open(path, "rb") as file:
        file.seek(size - tail_size)
        tail = file.read(tail_size)
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < 22:
        return None
    return struct.unpack("<H", tail[at + 10 : at + 12])[0]


def _members(path: Path, size: int) -> list[zipfile.ZipInfo] | None:
    count = declared_members(path, size)
    if count is None:
        return None
    if count >= min(MAX_MEMBERS, 0xFFFF):  # 0xFFFF: a Zip64 count, never a 10 MB document's
        raise UnsafeArchive("members")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        return None
    if len(members) > MAX_MEMBERS:
        raise UnsafeArchive("members")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * size:
        raise UnsafeArchive("size")
    for member in members:
        stored = member.compress_type == zipfile.ZIP_STORED
        if (stored and member.compress_size != member.file_size) or (
            member.header_offset + member.compress_size > size
        ):
            raise UnsafeArchive("sizes")
    return members


def read_member(path: Path, member: zipfile.ZipInfo) -> bytes | None:
    """A small member's content, read from its raw bytes with a cap: None when it is
    larger than ``READ_CAP`` or not stored/deflated. Raises UnsafeArchive when it does not
    end where its header says or with the header's checksum."""
    if member.file_size > READ_CAP or member.compress_size > READ_CAP:
        return None
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    with open(path, "rb") as file:
        file.seek(member.header_offset)
        header = file.read(30)
        if len(header) < 30 or header[:4] != _LOCAL:
            raise UnsafeArchive("sizes")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        file.seek(member.header_offset + 30 + name_length + extra_length)
        raw = file.read(member.compress_size)
    if member.compress_type == zipfile.ZIP_STORED:
        content = raw
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            content = inflater.decompress(raw, READ_CAP + 1)
        except zlib.error:
            raise UnsafeArchive("sizes") from None
        if not inflater.eof:  # the stream goes on past what its header declares
            raise UnsafeArchive("sizes")
    if len(content) != member.file_size or zlib.crc32(content) != member.CRC:
        raise UnsafeArchive("sizes")
    return content
