"""Additional documents of a review: a size limit and a content-type check.

The declared type must be one of those below, and the content must look like it (its first
bytes), so that a renamed executable is not stored as a PDF.
"""

from __future__ import annotations

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

_ZIP = b"PK\x03\x04"
# content type -> the signatures its content may start with (None: UTF-8 text)
ALLOWED_TYPES: dict[str, tuple[bytes, ...] | None] = {
    "application/pdf": (b"%PDF-",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (_ZIP,),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (_ZIP,),
    "application/vnd.oasis.opendocument.text": (_ZIP,),
    "application/msword": (b"\xd0\xcf\x11\xe0",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "text/plain": None,
    "audio/mpeg": (b"ID3", b"\xff\xfb", b"\xff\xf3"),
    "video/mp4": (),
}


def document_problem(content_type: str, content: bytes) -> tuple[str, str] | None:
    """(field, reason) when the document is refused, else None."""
    if content_type not in ALLOWED_TYPES:
        return (
            "contentType",
            f"{content_type!r} is not accepted; accepted: {', '.join(sorted(ALLOWED_TYPES))}",
        )
    if not content:
        return "contentBase64", "the document is empty"
    if len(content) > MAX_DOCUMENT_BYTES:
        return "contentBase64", f"the document is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB"
    signatures = ALLOWED_TYPES[content_type]
    if signatures is None:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return "contentBase64", "text/plain content is not UTF-8 text"
        return None
    if content_type == "video/mp4":
        return None if content[4:8] == b"ftyp" else ("contentBase64", "the content is not an MP4 file")
    if not content.startswith(signatures):
        return "contentBase64", f"the content does not look like {content_type}"
    return None
