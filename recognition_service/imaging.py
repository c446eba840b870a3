"""Image bytes in and out: decode, probe, resize for the model, draw detections, encode JPEG (BGR arrays)."""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np
from PIL import Image, ImageFile, ImageOps

# Colour order: every array this module takes or returns is HxWx3 uint8 in BGR order, the OpenCV convention and
# what Ultralytics expects of numpy input, so frames go to the model and to cv2 without conversions.

DEFAULT_MAX_PIXELS = 64_000_000
"""Most pixels decode_image and probe_image accept by default (8000 x 8000; 192 MB once decoded)."""

PROBE_BYTES = 256 * 1024
"""How many leading bytes probe_image wants: a JPEG's size comes after its EXIF, XMP and ICC segments."""

_FORMATS = ("JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF")
_MIME = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
    "GIF": "image/gif",
}
_EXIF_ORIENTATION = 0x0112
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height


class UnsupportedImage(ValueError):
    """The bytes are not an image in a supported format, or cannot be decoded."""


class ImageTooLarge(UnsupportedImage):
    """The image has more pixels than the limit allows."""


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What probe_image learns from an image's header."""

    format: str  # "JPEG", "PNG", "WEBP", "BMP", "TIFF" or "GIF"
    width: int  # as displayed, i.e. after EXIF orientation
    height: int

    @property
    def mime_type(self) -> str:
        return _MIME[self.format]


class BoxLike(Protocol):
    """Anything with a label, class id, confidence and pixel corners, such as detector.Detection."""

    @property
    def label(self) -> str: ...
    @property
    def class_id(self) -> int: ...
    @property
    def confidence(self) -> float: ...
    @property
    def x1(self) -> float: ...
    @property
    def y1(self) -> float: ...
    @property
    def x2(self) -> float: ...
    @property
    def y2(self) -> float: ...


def _identify(data: bytes) -> ImageFile.ImageFile:
    """Pillow's open, limited to our formats, reading the header only.

    Not Image.open: importing Ultralytics replaces it with a wrapper that pip-installs pi-heif on the first
    unidentified upload, and Image.open checks sizes against a process-wide limit with warnings.
    """
    Image.init()  # registers every plugin once; later calls return at once
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
    raise UnsupportedImage("not a JPEG, PNG, WebP, BMP, TIFF or GIF image")


def _open(data: bytes, max_pixels: int) -> ImageFile.ImageFile:
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


def _to_bgr(im: Image.Image) -> np.ndarray:
    """Any Pillow mode to HxWx3 uint8 BGR; 16-bit keeps its high byte, as cv2.imread and Ultralytics do."""
    mode = im.mode
    if mode.startswith("I;16") or mode == "I":
        gray = (np.clip(np.asarray(im), 0, 65535).astype(np.uint32) >> 8).astype(np.uint8)
        return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    if mode == "F":
        gray = np.clip(np.asarray(im), 0, 255).astype(np.uint8)
        return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    if mode == "L":
        return cv2.cvtColor(np.asarray(im), cv2.COLOR_GRAY2BGR)
    if mode in ("P", "PA"):
        # Straight to RGB, Pillow warns about palettes whose transparency is given per entry.
        im = im.convert("RGBA" if mode == "PA" or "transparency" in im.info else "RGB")
    elif mode not in ("RGB", "RGBA"):
        im = im.convert("RGB")
    # Alpha is dropped, not composited, the same as cv2.imread(IMREAD_COLOR) does for a direct predict(path).
    code = cv2.COLOR_RGBA2BGR if im.mode == "RGBA" else cv2.COLOR_RGB2BGR
    return cv2.cvtColor(np.asarray(im), code)


def decode_image(data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """Decode image bytes to an upright HxWx3 uint8 BGR array (EXIF orientation applied, GIF/TIFF first frame).

    Pillow identifies and checks every image; JPEG pixels are then decoded by OpenCV, like a direct
    Ultralytics predict(path) does, and that is twice as fast as Pillow's decode plus its copy out to numpy.
    """
    im = _open(data, max_pixels)
    try:
        if im.format in ("JPEG", "MPO"):
            img = _decode_jpeg(data, _upright_size(im))
            if img is not None:
                return img
        ImageOps.exif_transpose(im, in_place=True)
        return _to_bgr(im)
    except UnsupportedImage:
        raise
    except Exception as e:  # noqa: BLE001  (truncated or corrupt pixel data surfaces only while decoding)
        raise UnsupportedImage(f"cannot decode {im.format} image: {e}") from None
    finally:
        im.close()


def _decode_jpeg(data: bytes, size: tuple[int, int]) -> np.ndarray | None:
    """OpenCV's JPEG decode, or None to leave it to Pillow; OpenCV only warns about missing data, so check first."""
    scan = _jpeg_scan_start(data)
    if scan < 0:  # a layout this walk does not follow; Pillow decodes (or rejects) it
        return None
    if data.rfind(b"\xff\xd9") < scan:  # from the end: EOI is normally the last two bytes
        raise UnsupportedImage(
            "JPEG image is truncated: no end-of-image marker after its scan data"
        )
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if img is None or img.shape[1::-1] != size:  # a variant OpenCV cannot read or orients otherwise
        return None
    return img


def _jpeg_scan_start(data: bytes) -> int:
    """Offset of the first image's entropy-coded data, found by walking the marker segments; -1 if cut short."""
    i = 2  # after SOI
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return -1
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
        if marker == 0xDA:  # start of scan
            return i
    return -1


def _upright_size(im: Image.Image) -> tuple[int, int]:
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
        im = _open(data_or_head, max_pixels)
    except ImageTooLarge:
        raise
    except UnsupportedImage:
        return None
    with im:
        # Pillow names a camera JPEG carrying extra pictures (previews, depth maps) MPO.
        fmt = "JPEG" if im.format == "MPO" else str(im.format)
        width, height = _upright_size(im)
    return ImageInfo(format=fmt, width=width, height=height)


def model_input_size(shape: tuple[int, ...], target: int | tuple[int, int]) -> tuple[int, int]:
    """(width, height) Ultralytics' LetterBox(target, scaleup=False) resizes an image of this shape to."""
    height, width = shape[:2]
    target_h, target_w = (target, target) if isinstance(target, int) else target
    r = min(target_h / height, target_w / width, 1.0)
    return max(round(width * r), 1), max(round(height * r), 1)


def resize_for_model(img: np.ndarray, max_side: int | tuple[int, int]) -> tuple[np.ndarray, float]:
    """Downscale so the image fits max_side (or (height, width)); never upscales. Returns (image, scale).

    The size and interpolation are LetterBox's, so Ultralytics' own letterbox only pads what this returns.
    The input comes back as is (not copied) when it already fits.
    """
    height, width = img.shape[:2]
    target_h, target_w = (max_side, max_side) if isinstance(max_side, int) else max_side
    scale = min(target_h / height, target_w / width, 1.0)
    new_w, new_h = model_input_size(img.shape, max_side)
    if (new_w, new_h) == (width, height):
        return img, 1.0
    return cv2.resize(img, (new_w, new_h), interpolation=cv2.INTER_LINEAR), scale


def encode_jpeg(img: np.ndarray, quality: int = 90) -> bytes:
    """Encode a BGR image as baseline JPEG."""
    if not 1 <= quality <= 100:
        raise ValueError(f"JPEG quality must be 1..100, got {quality}")
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError(f"cannot encode array of shape {img.shape} and dtype {img.dtype} as JPEG")
    return buf.tobytes()


# Ultralytics' palette (RGB hex), so our pictures look like its own without importing it here.
_PALETTE = (
    "042AFF 0BDBEB F3F3F3 00DFB7 111F68 FF6FDD FF444F CCED00 00F344 BD00FF "
    "00B4FF DD00BA 00FFFF 26C000 01FFB3 7D24FF 7B0068 FF1B6C FC6D2F A2FF0B"
).split()


def class_colour(class_id: int) -> tuple[int, int, int]:
    """The BGR colour for a class id."""
    rgb = _PALETTE[class_id % len(_PALETTE)]
    return int(rgb[4:6], 16), int(rgb[2:4], 16), int(rgb[0:2], 16)


def draw_detections(img: np.ndarray, detections: Sequence[BoxLike]) -> np.ndarray:
    """A copy of the BGR image with a box and a "label 0.87" caption per detection, coloured by class."""
    out = img.copy()
    height, width = out.shape[:2]
    line = max(round((height + width) / 2 * 0.003), 2)
    font_scale = line / 3
    thickness = max(line - 1, 1)
    for d in detections:
        colour = class_colour(d.class_id)
        p1 = (int(round(d.x1)), int(round(d.y1)))
        p2 = (int(round(d.x2)), int(round(d.y2)))
        cv2.rectangle(out, p1, p2, colour, line, cv2.LINE_AA)
        caption = f"{d.label} {d.confidence:.2f}"
        (tw, th), baseline = cv2.getTextSize(
            caption, cv2.FONT_HERSHEY_SIMPLEX, font_scale, thickness
        )
        th += baseline
        above = p1[1] >= th + 3  # caption above the box, or inside it at the top edge
        top = p1[1] - th - 3 if above else p1[1]
        left = min(max(p1[0], 0), max(width - tw, 0))
        cv2.rectangle(out, (left, top), (left + tw, top + th + 3), colour, -1, cv2.LINE_AA)
        # Dark text on light colours, white on dark, by perceived luminance.
        text = (
            (0, 0, 0)
            if 0.114 * colour[0] + 0.587 * colour[1] + 0.299 * colour[2] > 150
            else (255, 255, 255)
        )
        cv2.putText(
            out,
            caption,
            (left, top + th + 1 - baseline),
            cv2.FONT_HERSHEY_SIMPLEX,
            font_scale,
            text,
            thickness,
            cv2.LINE_AA,
        )
    return out
