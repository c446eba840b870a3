"""Pure rules about uploads: telling photo from video by content, names, options."""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from scenelens.domain.errors import InvalidRequest

PHOTO = "photo"
VIDEO = "video"
SNIFF_BYTES = 64 * 1024

SCENE_DETECTORS = ("transition", "transition-fast", "content", "adaptive", "histogram", "hash")
VIDEO_EXTENSIONS = {".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".mpg", ".mpeg", ".ts",
                    ".m2ts", ".wmv", ".flv", ".3gp", ".ogv", ".mxf"}
PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif", ".jfif",
                    ".heic", ".heif", ".avif"}
PHOTO_FORMATS = "JPEG, PNG, WebP, BMP, TIFF, GIF, HEIC or AVIF"  # for error messages


def sniff(head: bytes) -> tuple[str, str] | None:
    """(kind, content type) judged from the first bytes, or None when unknown."""
    if head.startswith(b"\xff\xd8\xff"):
        return PHOTO, "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PHOTO, "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return PHOTO, "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return PHOTO, "image/webp"
    if head.startswith(b"BM") and len(head) > 26 and head[6:10] == b"\0\0\0\0":
        return PHOTO, "image/bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return PHOTO, "image/tiff"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        still = _still_image_type(head)
        if still is not None:
            return PHOTO, still
        if brand in IMAGE_BRANDS:
            return None  # an image collection with no brand we decode (e.g. JPEG in HEIF)
        if brand.startswith(b"qt"):
            return VIDEO, "video/quicktime"
        return VIDEO, "video/mp4"
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip"):
        return VIDEO, "video/quicktime"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return VIDEO, "video/webm" if b"webm" in head[:64] else "video/x-matroska"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return VIDEO, "video/x-msvideo"
    if head.startswith(b"\x00\x00\x01\xba") or head.startswith(b"\x00\x00\x01\xb3"):
        return VIDEO, "video/mpeg"
    if len(head) >= 377 and head[0] == 0x47 and head[188] == 0x47 and head[376] == 0x47:
        return VIDEO, "video/mp2t"
    if head.startswith(b"FLV"):
        return VIDEO, "video/x-flv"
    if head.startswith(b"OggS"):
        return VIDEO, "video/ogg"
    if head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"):
        return VIDEO, "video/x-ms-wmv"
    return None


# ISO-BMFF brands of still images (ISO/IEC 23008-12: HEIF; AV1 Image File Format): HEIC is
# HEVC in HEIF (what phones take), AVIF is AV1 in it; mif1/msf1 are the generic HEIF brands.
# The video service's probe refuses these as videos too.
_HEIC_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx")
_AVIF_BRANDS = (b"avif", b"avis")
IMAGE_BRANDS = (*_HEIC_BRANDS, *_AVIF_BRANDS, b"mif1", b"msf1")


def _still_image_type(head: bytes) -> str | None:
    """image/heic or image/avif for an ISO-BMFF file whose major or compatible brands say so
    (a HEIF file often has the generic mif1 as its major brand), else None."""
    size = int.from_bytes(head[:4], "big")
    brands = [head[8:12]]
    end = min(size, len(head)) if size >= 16 else 0
    brands += [head[i : i + 4] for i in range(16, end - 3, 4)]
    if any(b in _AVIF_BRANDS for b in brands):
        return "image/avif"
    if any(b in _HEIC_BRANDS for b in brands):
        return "image/heic"
    return None


def declared_kind(content_type: str, filename: str) -> str | None:
    """What the client says it sent (content type, else extension)."""
    ct = content_type.split(";")[0].strip().lower()
    if ct.startswith("video/"):
        return VIDEO
    if ct.startswith("image/"):
        return PHOTO
    ext = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    if ext in VIDEO_EXTENSIONS:
        return VIDEO
    if ext in PHOTO_EXTENSIONS:
        return PHOTO
    return None


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Besides the control characters (C0, DEL and C1: category Cc), the ones that reorder or break
# how a name is shown: bidirectional embeddings, overrides and isolates ("photo\u202egpj.exe"
# shows as "photoexe.jpg") and the line and paragraph separators.
_INVISIBLE_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")


def _ascii_part(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _UNSAFE.sub("_", ascii_text).strip("._-")


def safe_filename(name: str, max_len: int = 120) -> str:
    """A name safe for an S3 key: ASCII, no paths or control characters, bounded length.

    Letters with no ASCII form (Cyrillic, CJK, ...) drop out; a stem left empty becomes
    "upload", and the extension is kept ("отпуск.jpg" -> "upload.jpg").
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = _ascii_part(ext)[:16]
    stem = _ascii_part(stem) or "upload"
    keep = max_len - len(ext) - (1 if ext else 0)
    return stem[:keep] + ("." + ext if ext else "")


def check_filename(name: str) -> str:
    """The original name, kept in the task as given; rejects what no real file is called."""
    if len(name) > 1024:
        raise InvalidRequest("filename is longer than 1024 characters")
    if any(unicodedata.category(c) == "Cc" or c in _INVISIBLE_CONTROLS for c in name):
        raise InvalidRequest("filename contains control characters")
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if base.strip() in ("", ".", ".."):
        raise InvalidRequest(f"filename {name[:80]!r} is a path with no file name in it")
    return name


def scene_options(
    *, detector: str, threshold: float | None, min_scene_seconds: float | None,
    max_scenes: int | None,
) -> dict[str, Any]:
    """Validated per-request scene options (unset ones fall back to the service defaults)."""
    options: dict[str, Any] = {}
    if detector:
        if detector not in SCENE_DETECTORS:
            raise InvalidRequest(
                f"scene_detector must be one of {', '.join(SCENE_DETECTORS)}, got {detector[:40]!r}"
            )
        options["detector"] = detector
    if threshold is not None:
        if not (0.0 < threshold <= 255.0):
            raise InvalidRequest("scene_threshold must be in (0, 255]")
        options["threshold"] = threshold
    if min_scene_seconds is not None:
        if not (0.0 <= min_scene_seconds <= 3600.0):
            raise InvalidRequest("min_scene_seconds must be in [0, 3600]")
        options["min_scene_seconds"] = min_scene_seconds
    if max_scenes is not None:
        if not (1 <= max_scenes <= 10000):
            raise InvalidRequest("max_scenes must be in [1, 10000]")
        options["max_scenes"] = max_scenes
    return options
