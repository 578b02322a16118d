"""What the library accepts: file types by content, names, links and tags.

The sample-file builders here are shared with the other resource tests."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from groups.resources.validation import (
    MAX_TAG_LENGTH,
    MAX_TAGS,
    detect_file_type,
    normalise_tags,
    normalise_web_url,
    sanitise_file_name,
    validate_upload,
)

MB = 1024 * 1024

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
GIF = b"GIF89a\x01\x00\x01\x00" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64
HTML = b"<!doctype html><script>alert('x')</script>"

OOXML_MAIN = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xlsx": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
    # Macro-enabled Word: never accepted, whatever its name says.
    "docm": (
        "word/document.xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    ),
}
ODF_TYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}


def ooxml(kind: str = "docx") -> bytes:
    part, main_type = OOXML_MAIN[kind]
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main_type}"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def odf(kind: str = "odt") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), ODF_TYPES[kind], zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


ACCEPTED = [
    ("notes.pdf", PDF, "application/pdf"),
    ("photo.png", PNG, "image/png"),
    ("photo.jpg", JPEG, "image/jpeg"),
    ("photo.jpeg", JPEG, "image/jpeg"),
    ("animation.gif", GIF, "image/gif"),
    ("picture.webp", WEBP, "image/webp"),
    (
        "handout.docx",
        ooxml("docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "budget.xlsx",
        ooxml("xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "slides.pptx",
        ooxml("pptx"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("handout.odt", odf("odt"), "application/vnd.oasis.opendocument.text"),
    ("budget.ods", odf("ods"), "application/vnd.oasis.opendocument.spreadsheet"),
    ("slides.odp", odf("odp"), "application/vnd.oasis.opendocument.presentation"),
    ("SHOUTING.PDF", PDF, "application/pdf"),
]


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.RESOURCE_MAX_UPLOAD_BYTES = MB


@pytest.mark.parametrize(("name", "content", "content_type"), ACCEPTED)
def test_accepted_types_are_recognised_by_their_content(name, content, content_type):
    assert validate_upload(upload(name, content)).content_type == content_type


def test_the_browsers_content_type_is_ignored():
    sent_as_html = upload("notes.pdf", PDF, content_type="text/html")
    assert validate_upload(sent_as_html).content_type == "application/pdf"
    claims_pdf = upload("page.pdf", HTML, content_type="application/pdf")
    with pytest.raises(ValidationError):
        validate_upload(claims_pdf)


def test_detection_leaves_the_file_at_its_start():
    file = upload("handout.docx", ooxml("docx"))
    detect_file_type(file)
    assert file.read(2) == b"PK"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", EXE),
        ("page.pdf", HTML),
        ("archive.docx", plain_zip()),
        ("macros.docx", ooxml("docm")),
        ("broken.docx", b"PK\x03\x04 this is not really a zip"),
        ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"),
        ("notes.txt", b"just some text"),
    ],
)
def test_content_that_is_not_an_accepted_type_is_refused(name, content):
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content))
    assert "We can't accept this file" in caught.value.messages[0]
    assert "PDF" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("notes.docx", PDF, "content is a PDF document, but its name ends in .docx"),
        (
            "budget.xlsx",
            ooxml("docx"),
            "Word document (DOCX), but its name ends in .xlsx",
        ),
        (
            "handout.docx",
            odf("odt"),
            "OpenDocument text (ODT), but its name ends in .docx",
        ),
        ("photo.png", JPEG, "Rename it to end in .jpg"),
        ("notes", PDF, "its name has no extension"),
    ],
)
def test_a_name_that_lies_about_the_content_is_refused(name, content, says):
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content))
    assert says in caught.value.messages[0]


def test_an_oversize_file_is_refused_saying_the_limit_in_mb():
    big = upload("big.pdf", PDF + b"0" * MB)
    with pytest.raises(ValidationError) as caught:
        validate_upload(big)
    assert "The file is 1.1 MB; the limit is 1 MB." in caught.value.messages[0]


def test_a_file_just_over_the_limit_does_not_read_as_the_limit(settings):
    settings.RESOURCE_MAX_UPLOAD_BYTES = 10 * MB
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload("big.pdf", PDF + b"0" * (10 * MB)))
    assert "The file is 10.1 MB; the limit is 10 MB." in caught.value.messages[0]


def test_a_file_at_the_limit_is_accepted():
    exact = upload("exact.pdf", PDF + b"0" * (MB - len(PDF)))
    assert validate_upload(exact).content_type == "application/pdf"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        validate_upload(upload("empty.pdf", b""))


@pytest.mark.parametrize(
    ("given", "extension", "kept"),
    [
        ("notes.pdf", "pdf", "notes.pdf"),
        ("My notes (v2).pdf", "pdf", "My notes (v2).pdf"),
        ("../../etc/passwd.pdf", "pdf", "passwd.pdf"),
        ("C:\\Users\\sam\\Desktop\\plan.docx", "docx", "plan.docx"),
        ('<script>alert("x")</script>.pdf', "pdf", "script.pdf"),
        ('<img src=x onerror="alert(1)">.pdf', "pdf", "img src_x onerror_alert(1).pdf"),
        ("evil\r\nSet-Cookie: a=b.pdf", "pdf", "evilSet-Cookie_ a_b.pdf"),
        (".hidden.pdf", "pdf", "hidden.pdf"),
        ("Übung für Gruppen.odt", "odt", "Übung für Gruppen.odt"),
        ("photo.JPEG", "jpg", "photo.jpg"),
        ("", "pdf", "file.pdf"),
        ("...", "pdf", "file.pdf"),
    ],
)
def test_file_names_are_sanitised(given, extension, kept):
    assert sanitise_file_name(given, extension=extension) == kept


def test_long_file_names_are_cut_keeping_the_extension():
    name = sanitise_file_name("a" * 500 + ".pdf", extension="pdf")
    assert len(name) == 200
    assert name.endswith("a.pdf")


def test_tags_are_trimmed_lower_cased_and_deduplicated():
    assert normalise_tags(" Sleep, ANXIETY ,sleep,,  self   care ,") == [
        "sleep",
        "anxiety",
        "self care",
    ]
    assert normalise_tags(["Sleep", "sleep"]) == ["sleep"]
    assert normalise_tags("") == []


def test_a_tag_of_the_maximum_length_is_kept():
    assert normalise_tags("a" * MAX_TAG_LENGTH) == ["a" * MAX_TAG_LENGTH]


def test_an_overlong_tag_is_refused():
    with pytest.raises(ValidationError, match=f"{MAX_TAG_LENGTH} characters"):
        normalise_tags("a" * (MAX_TAG_LENGTH + 1))


def test_too_many_tags_are_refused():
    assert len(normalise_tags(",".join(f"t{i}" for i in range(MAX_TAGS)))) == MAX_TAGS
    with pytest.raises(ValidationError, match=f"at most {MAX_TAGS} tags"):
        normalise_tags(",".join(f"t{i}" for i in range(MAX_TAGS + 1)))


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://example.org/page?x=1", "https://example.org/page?x=1"),
        ("http://example.org", "http://example.org"),
        ("  https://example.org  ", "https://example.org"),
        ("example.org/sleep", "https://example.org/sleep"),
        ("", ""),
    ],
)
def test_web_links_are_kept(given, kept):
    assert normalise_web_url(given) == kept


@pytest.mark.parametrize(
    "given",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "  javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org/file",
    ],
)
def test_links_that_are_not_http_or_https_are_refused(given):
    with pytest.raises(ValidationError) as caught:
        normalise_web_url(given)
    assert "http:// or https://" in caught.value.messages[0]


@pytest.mark.parametrize(
    "given", ["java\nscript:alert(1)", "https://", "https://exa mple"]
)
def test_broken_links_are_refused(given):
    with pytest.raises(ValidationError):
        normalise_web_url(given)


def test_an_overlong_link_is_refused():
    with pytest.raises(ValidationError, match="500 characters"):
        normalise_web_url("https://example.org/" + "a" * 10240)
