"""Image bytes in and out: decode, probe, resize for the model, draw detections, encode JPEG (BGR arrays)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import cv2
import numpy as np
from PIL import Image, ImageOps

from scenelens.images import (
    DEFAULT_MAX_PIXELS,
    PROBE_BYTES,
    ImageInfo,
    ImageTooLarge,
    UnsupportedImage,
    open_header,
    probe_image,
    upright_size,
)

__all__ = ["DEFAULT_MAX_PIXELS", "PROBE_BYTES", "ImageInfo", "ImageTooLarge", "UnsupportedImage",
           "probe_image"]

# Colour order: every array this module takes or returns is HxWx3 uint8 in BGR order, the OpenCV convention and
# what Ultralytics expects of numpy input, so frames go to the model and to cv2 without conversions.

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
    im = open_header(data, max_pixels)
    try:
        if im.format in ("JPEG", "MPO"):
            img = _decode_jpeg(data, upright_size(im))
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
