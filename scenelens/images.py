"""Image headers: format, size and orientation without decoding a pixel (Pillow, no OpenCV).

Shared by the gateway (an upload that is no readable image is refused before a task exists) and the
recognition service (which decodes what passed).
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from PIL import Image, ImageFile

from scenelens.domain.media import PHOTO_FORMATS

DEFAULT_MAX_PIXELS = 64_000_000
"""Most pixels decode_image and probe_image accept by default (8000 x 8000; 192 MB once decoded)."""

PROBE_BYTES = 256 * 1024
"""How many leading bytes probe_image wants: a JPEG's size comes after its EXIF, XMP and ICC segments."""

# HEIF (HEIC: HEVC inside) is read by pi-heif's Pillow plugin (libheif with libde265, decoding
# only), AVIF by Pillow's own.
_FORMATS = ("JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF", "HEIF", "AVIF")
_MIME = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
    "GIF": "image/gif",
    "HEIF": "image/heic",
    "AVIF": "image/avif",
}
_plugins_ready = False
_EXIF_ORIENTATION = 0x0112
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height


class UnsupportedImage(ValueError):
    """The bytes are not an image in a supported format, or cannot be decoded."""


class ImageTooLarge(UnsupportedImage):
    """The image has more pixels than the limit allows."""


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What probe_image learns from an image's header."""

    format: str  # "JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF", "HEIF" or "AVIF"
    width: int  # as displayed, i.e. after EXIF orientation
    height: int

    @property
    def mime_type(self) -> str:
        return _MIME[self.format]


def _init_plugins() -> None:
    """Pillow's plugins, and pi-heif's for HEIF when it is installed (without it HEIC is
    refused as an unknown format)."""
    global _plugins_ready
    if _plugins_ready:
        return
    Image.init()  # registers every plugin once; later calls return at once
    try:
        import pi_heif
    except ImportError:  # pragma: no cover - depends on the installation
        pass
    else:
        # The primary image is the photo: its thumbnails, depth maps and other auxiliary
        # images are not read.
        pi_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
    _plugins_ready = True


def _identify(data: bytes) -> ImageFile.ImageFile:
    """Pillow's open, limited to our formats, reading the header only.

    Not Image.open: importing Ultralytics replaces it with a wrapper that pip-installs pi-heif on the first
    unidentified upload, and Image.open checks sizes against a process-wide limit with warnings.
    """
    _init_plugins()
    prefix = data[:16]
    for fmt in _FORMATS:
        if fmt not in Image.OPEN:  # a Pillow built without this codec
            continue
        factory, accept = Image.OPEN[fmt]
        verdict = accept(prefix) if accept is not None else True
        # A str is Pillow's note "known format, codec missing".
        if not verdict or isinstance(verdict, str):
            continue
        try:
            return factory(io.BytesIO(data), "")
        except (SyntaxError, IndexError, TypeError, struct.error, EOFError):
            continue  # what Image.open treats as "not this format", e.g. a header cut short
    raise UnsupportedImage(f"not a {PHOTO_FORMATS} image")


def open_header(data: bytes, max_pixels: int) -> ImageFile.ImageFile:
    """Open (header only) and check the size, so no pixel is decoded before the bomb check."""
    if not data:
        raise UnsupportedImage("empty data is not an image")
    try:
        im = _identify(data)
    except OSError as e:
        raise UnsupportedImage(f"unreadable image header: {e}") from None
    width, height = im.size
    if width < 1 or height < 1:
        raise UnsupportedImage(f"image has no pixels ({width}x{height})")
    if width * height > max_pixels:
        raise ImageTooLarge(
            f"image is {width}x{height} = {width * height} pixels, more than the limit {max_pixels}"
        )
    return im


def upright_size(im: Image.Image) -> tuple[int, int]:
    """(width, height) once EXIF orientation is applied."""
    width, height = im.size
    try:
        orientation = im.getexif().get(_EXIF_ORIENTATION, 1)
    except Exception:  # noqa: BLE001  (a broken EXIF block does not make the picture any less an image)
        orientation = 1
    return (height, width) if orientation in _ROTATED else (width, height)


def probe_image(data_or_head: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> ImageInfo | None:
    """Format and upright size from the header (pass at least PROBE_BYTES), or None if it is no supported image.

    Raises ImageTooLarge for an image with more than max_pixels pixels.
    """
    try:
        im = open_header(data_or_head, max_pixels)
    except ImageTooLarge:
        raise
    except UnsupportedImage:
        return None
    with im:
        # Pillow names a camera JPEG carrying extra pictures (previews, depth maps) MPO.
        fmt = "JPEG" if im.format == "MPO" else str(im.format)
        width, height = upright_size(im)
    return ImageInfo(format=fmt, width=width, height=height)
