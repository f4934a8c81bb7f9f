"""Zip uploads are told apart by their member names; no member is unpacked to sniff it, and
an archive declaring an absurd size, or sizes that lie, is refused."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from scbi import archives, files
from scbi.extensions import db
from tests.transfer.test_evidence import docx, setup, upload  # noqa: F401  (fixture)

MIB = 1 << 20
OOXML = "[Content_Types].xml"
ODT = "application/vnd.oasis.opendocument.text"


def streamed(members: dict[str, int], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip whose members hold that many zero bytes, written 1 MiB at a time (512 MiB of
    zeros deflate to about 2 MB; nothing of their full size is ever in memory)."""
    buffer = io.BytesIO()
    chunk = bytes(MIB)
    with zipfile.ZipFile(buffer, "w", compression, compresslevel=1) as archive:
        archive.writestr(OOXML, "<Types/>")
        for name, size in members.items():
            with archive.open(name, "w") as member:
                for start in range(0, size, MIB):
                    member.write(chunk[: min(MIB, size - start)])
    return buffer.getvalue()


def forged(data: bytes, name: str, **fields: int) -> bytes:
    """``data`` with ``name``'s ``crc``, ``compressed`` or ``size`` rewritten in both its
    local and its central header (what a hand-made bomb does)."""
    out = bytearray(data)
    offsets = {"crc": 0, "compressed": 4, "size": 8}
    at = 0
    while (at := out.find(b"PK\x01\x02", at)) >= 0:
        name_length = struct.unpack_from("<H", out, at + 28)[0]
        if out[at + 46 : at + 46 + name_length] == name.encode():
            local = struct.unpack_from("<L", out, at + 42)[0]
            for field, value in fields.items():
                struct.pack_into("<L", out, at + 16 + offsets[field], value)
                struct.pack_into("<L", out, local + 14 + offsets[field], value)
            return bytes(out)
        at += 4
    raise LookupError(name)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A .docx of about 2 MB whose word/document.xml is 512 MiB of zeros."""
    return streamed({"word/document.xml": 512 * MIB})


@pytest.fixture
def guarded(monkeypatch):
    """Fail if zipfile unpacks any member; record what archives.read_member returns."""

    real_open = zipfile.ZipFile.open

    def open_for_writing_only(archive, name, mode="r", *args, **kwargs):
        if mode == "r":
            raise AssertionError(f"member {name} was unpacked")
        return real_open(archive, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", open_for_writing_only)  # read() opens too
    reads: list[tuple[str, int]] = []
    real = archives.read_member

    def counted(path, member):
        content = real(path, member)
        reads.append((member.filename, len(content or b"")))
        return content

    monkeypatch.setattr(archives, "read_member", counted)
    return reads


def store(app, content: bytes, name: str) -> str:
    """``files.store``'s answer: the kind stored, or the refusal's reason."""
    with app.app_context():
        try:
            files.store(io.BytesIO(content), name, db.session)
        except files.FileRefused as refusal:
            return str(refusal)
        finally:
            db.session.rollback()  # and the file written goes again
        return "stored"


def test_zip_bomb_docx_is_refused_without_unpacking(app, client, setup, bomb, guarded):  # noqa: F811
    assert len(bomb) < 3 * MIB
    _world, log_id, h = setup
    response = upload(client, log_id, h["coach"], bomb, "memo.docx")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "file_refused"
    assert "100 MB" in response.json["error"]["fields"]["file"][0]
    assert guarded == []  # no member read at all


def test_stored_docx_declaring_a_512_mib_document_is_refused(app, guarded):
    small = streamed({"word/document.xml": 1024}, compression=zipfile.ZIP_STORED)
    for fields in ({"size": 512 * MIB, "compressed": 512 * MIB}, {"size": 512 * MIB}):
        assert store(app, forged(small, "word/document.xml", **fields), "memo.docx") == "archive"
    # a stored member's two sizes must agree, whatever they say
    assert store(app, forged(small, "word/document.xml", size=10), "memo.docx") == "archive"
    assert guarded == []


def test_absurd_ratio_or_member_count_is_refused(app, guarded):
    # 20 MB of zeros: under 100 MB, but about 400 times the archive's size
    assert store(app, streamed({"word/document.xml": 20 * MIB}), "memo.docx") == "archive"
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        archive.writestr(OOXML, "<Types/>")
        for n in range(archives.MAX_MEMBERS):
            archive.writestr(f"word/{n}", b"")
    assert store(app, many.getvalue(), "memo.docx") == "archive"
    assert guarded == []


def odt(mimetype: bytes, compression=zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=compression)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_mimetype_is_read_with_a_cap_and_a_lying_header_is_found_out(app, guarded):
    assert store(app, odt(ODT.encode()), "notes.odt") == "stored"
    assert store(app, odt(ODT.encode(), zipfile.ZIP_DEFLATED), "notes.odt") == "stored"
    assert guarded == [("mimetype", len(ODT))] * 2
    guarded.clear()
    # a "mimetype" of 1 MiB of zeros, deflated to 1 KiB, whose header says 46 bytes
    liar = odt(bytes(MIB), zipfile.ZIP_DEFLATED)
    liar = forged(liar, "mimetype", size=len(ODT), crc=zlib.crc32(ODT.encode()))
    assert store(app, liar, "notes.odt") == "archive"
    # declared larger than the cap: not read at all, so not an OpenDocument file
    assert store(app, odt(b" " * (archives.READ_CAP + 1)), "notes.odt") == "content"
    assert all(size <= archives.READ_CAP for _name, size in guarded)


def test_ordinary_office_files_are_still_stored(app, guarded):
    assert store(app, docx(), "memo.docx") == "stored"
    sheet = io.BytesIO()
    with zipfile.ZipFile(sheet, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(OOXML, "<Types/>")
        archive.writestr(
            "xl/sheet1.xml", "".join(f"<c r='A{n}'><v>{n * 7}</v></c>" for n in range(5000))
        )
    assert store(app, sheet.getvalue(), "sheet.xlsx") == "stored"
    assert store(app, docx(), "memo.xlsx") == "content"
    assert guarded == []
