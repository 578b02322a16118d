"""Checks on what people put into the library: uploaded files, links and tags.

Pure functions with no database access, shared by forms (to put a message at
the field) and services (which never trust that a form ran first).

File types are decided by the file's content, never by its name or by the
Content-Type the browser sends: both are chosen by the uploader. The formats we
accept are few and well defined, so the standard library is enough: a handful
of magic numbers, and ``zipfile`` to look inside the zip-based office formats.
"""

import math
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

MAX_TAGS = 10
MAX_TAG_LENGTH = 30
FILE_NAME_MAX_LENGTH = 200  # Resource.file_name


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("a PDF document", "application/pdf", ("pdf",))
PNG = FileType("a PNG image", "image/png", ("png",))
JPEG = FileType("a JPEG image", "image/jpeg", ("jpg", "jpeg"))
GIF = FileType("a GIF image", "image/gif", ("gif",))
WEBP = FileType("a WebP image", "image/webp", ("webp",))
DOCX = FileType(
    "a Word document (DOCX)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
XLSX = FileType(
    "an Excel spreadsheet (XLSX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("xlsx",),
)
PPTX = FileType(
    "a PowerPoint presentation (PPTX)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ("pptx",),
)
ODT = FileType(
    "an OpenDocument text (ODT)", "application/vnd.oasis.opendocument.text", ("odt",)
)
ODS = FileType(
    "an OpenDocument spreadsheet (ODS)",
    "application/vnd.oasis.opendocument.spreadsheet",
    ("ods",),
)
ODP = FileType(
    "an OpenDocument presentation (ODP)",
    "application/vnd.oasis.opendocument.presentation",
    ("odp",),
)

ACCEPTED = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP)
ACCEPTED_EXTENSIONS = tuple(ext for t in ACCEPTED for ext in t.extensions)
ACCEPT_ATTRIBUTE = ",".join(
    [f".{ext}" for ext in ACCEPTED_EXTENSIONS]
    + sorted({t.content_type for t in ACCEPTED})
)
ACCEPTED_DESCRIPTION = (
    "a PDF, an image (PNG, JPEG, GIF, WebP) or an office document "
    "(DOCX, XLSX, PPTX, ODT, ODS, ODP)"
)

# Office Open XML: the package's [Content_Types].xml names its main part's
# type, and the part lives in the format's own folder. Macro-enabled variants
# (docm, xlsm, pptm) and templates have other main types and are refused.
_OOXML = (
    (
        DOCX,
        "word/",
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    (
        XLSX,
        "xl/",
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    (
        PPTX,
        "ppt/",
        b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
)
# OpenDocument: a stored entry named "mimetype" holds the exact type.
_ODF = {t.content_type.encode(): t for t in (ODT, ODS, ODP)}
# Read at most this much of any entry inside a zip: a small compressed entry
# can expand enormously, and the parts we look at are tiny.
_ZIP_ENTRY_READ_LIMIT = 1024 * 1024


def _megabytes(size: int, *, round_up: bool = False) -> str:
    tenths = size * 10 / (1024 * 1024)
    # A file just over the limit must not read as "10 MB; the limit is 10 MB".
    tenths = math.ceil(tenths) if round_up else round(tenths)
    return f"{tenths / 10:.1f}".removesuffix(".0") + " MB"


def _detect_zip(upload) -> FileType | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    found = _ODF.get(entry.read(100).strip())
                if found:
                    return found
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as entry:
                    content_types = entry.read(_ZIP_ENTRY_READ_LIMIT)
                for file_type, folder, main_type in _OOXML:
                    if main_type in content_types and any(
                        name.startswith(folder) for name in names
                    ):
                        return file_type
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError):
        # RuntimeError: an encrypted entry. Not a document we can accept.
        return None
    return None


def detect_file_type(upload) -> FileType | None:
    """The accepted type the file's content is, or None."""
    upload.seek(0)
    head = upload.read(16)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith((b"GIF87a", b"GIF89a")):
            return GIF
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return WEBP
        if head.startswith(b"PK\x03\x04"):
            upload.seek(0)
            return _detect_zip(upload)
        return None
    finally:
        upload.seek(0)


def extension_of(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def validate_upload(upload) -> FileType:
    """The file's type if we accept it; else a ValidationError that says why.

    Checks the size against RESOURCE_MAX_UPLOAD_BYTES, the type by content,
    and that the name's extension tells the truth about the content (a file
    downloaded later opens with the program its name suggests)."""
    limit = settings.RESOURCE_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The file is {_megabytes(upload.size, round_up=True)}; the limit "
            f"is {_megabytes(limit)}. Choose a smaller file, or share a link instead.",
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    file_type = detect_file_type(upload)
    if file_type is None:
        raise ValidationError(
            f"We can't accept this file: its content is not {ACCEPTED_DESCRIPTION}.",
            code="unknown_type",
        )
    extension = extension_of(upload.name or "")
    if extension not in file_type.extensions:
        said = f"ends in .{extension}" if extension else "has no extension"
        raise ValidationError(
            f"The file's content is {file_type.label}, but its name {said}. "
            f"Rename it to end in .{file_type.extensions[0]}, or choose the "
            "right file.",
            code="extension_mismatch",
        )
    return file_type


_UNSAFE_NAME_CHARS = re.compile(r"[^\w .()\-]+")


def sanitise_file_name(name: str, *, extension: str) -> str:
    """A file name that is safe to show and to put in Content-Disposition:
    no folders, no control or odd characters, no leading dots, at most
    FILE_NAME_MAX_LENGTH characters, ending in ``.extension``."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/")
    name = name.rsplit("/", 1)[-1]
    stem = os.path.splitext(name)[0]
    stem = "".join(ch for ch in stem if unicodedata.category(ch)[0] != "C")
    stem = _UNSAFE_NAME_CHARS.sub("_", stem)
    stem = " ".join(stem.split()).strip(" ._") or "file"
    suffix = f".{extension}"
    return stem[: FILE_NAME_MAX_LENGTH - len(suffix)].rstrip(" ._") + suffix


def normalise_tags(value: str | list[str] | tuple[str, ...]) -> list[str]:
    """Comma-separated tags (or a list) as a clean list: trimmed, lower-case,
    inner spaces collapsed, duplicates dropped (first one kept). Raises
    ValidationError for a tag over MAX_TAG_LENGTH or more than MAX_TAGS."""
    raw = value.split(",") if isinstance(value, str) else list(value)
    tags: list[str] = []
    for item in raw:
        tag = " ".join(str(item).split()).lower()
        tag = "".join(ch for ch in tag if unicodedata.category(ch)[0] != "C")
        if not tag or tag in tags:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationError(
                f'The tag "{tag[:MAX_TAG_LENGTH]}…" is too long: keep each tag to '
                f"{MAX_TAG_LENGTH} characters.",
                code="tag_too_long",
            )
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError(
            f"Use at most {MAX_TAGS} tags (you gave {len(tags)}).",
            code="too_many_tags",
        )
    return tags


_web_url = URLValidator(schemes=["http", "https"])


def normalise_web_url(value: str, *, max_length: int = 500) -> str:
    """A web address people can open safely: http or https only. Anything else
    (javascript:, data:, file:, …) could run code or leak data when clicked.
    An address typed without a scheme gets https://."""
    value = (value or "").strip()
    if not value:
        return ""
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValidationError("Remove the control characters from the link.")
    scheme = urlsplit(value).scheme.lower()
    if not scheme and not value.startswith("//"):
        value = f"https://{value}"
    elif scheme not in ("http", "https"):
        raise ValidationError(
            "Only web links are allowed: the address must start with http:// "
            "or https://.",
            code="scheme",
        )
    if len(value) > max_length:
        raise ValidationError(
            f"Keep the link to {max_length} characters (it has {len(value)}).",
            code="max_length",
        )
    try:
        _web_url(value)
    except ValidationError:
        raise ValidationError(
            "Enter a complete web address, e.g. https://example.org/page.",
            code="invalid",
        ) from None
    return value
