"""Decoding, probing, resizing, drawing and encoding images, without a model."""

from __future__ import annotations

import io
import pathlib
import warnings

import cv2
import numpy as np
import pytest
import ultralytics
from PIL import Image, ImageOps
from ultralytics.data.augment import LetterBox

from recognition_service.detector import Detection
from recognition_service.imaging import (
    ImageInfo,
    ImageTooLarge,
    UnsupportedImage,
    decode_image,
    draw_detections,
    encode_jpeg,
    probe_image,
    resize_for_model,
)

ASSETS = pathlib.Path(ultralytics.__file__).parent / "assets"
EXIF_ORIENTATION = 0x0112



def _save(im: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()


def _heic(im: Image.Image, **params: object) -> bytes:
    """HEIC as a phone writes it (HEVC in HEIF), by pillow-heif's encoder (a test dependency;
    the services read HEIF with pi-heif, which only decodes)."""
    import pillow_heif

    buf = io.BytesIO()
    pillow_heif.from_pillow(im).save(buf, quality=90, **params)
    return buf.getvalue()


def _two_tone(width: int = 64, height: int = 48) -> Image.Image:
    """Top half red, bottom half blue (RGB)."""
    a = np.zeros((height, width, 3), np.uint8)
    a[: height // 2] = (255, 0, 0)
    a[height // 2 :] = (0, 0, 255)
    return Image.fromarray(a)


def test_exif_orientation_6_decodes_upright() -> None:
    # Landscape as stored; orientation 6 says "turn 90 degrees clockwise to view".
    stored = _two_tone(64, 48)
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    data = _save(stored, "JPEG", quality=95, exif=exif.tobytes())

    img = decode_image(data)

    assert img.shape == (64, 48, 3)  # portrait once upright
    # Turned clockwise, the stored top (red) ends up on the right and the bottom (blue) on the left; BGR order.
    left, right = img[8:-8, 4:18].reshape(-1, 3).mean(0), img[8:-8, -18:-4].reshape(-1, 3).mean(0)
    assert left[0] > 200 and left[2] < 50  # blue
    assert right[2] > 200 and right[0] < 50  # red
    assert probe_image(data) == ImageInfo(format="JPEG", width=48, height=64)


def _quadrants() -> Image.Image:
    a = np.zeros((48, 64, 3), np.uint8)
    a[:24, :32] = (255, 0, 0)
    a[:24, 32:] = (0, 255, 0)
    a[24:, :32] = (0, 0, 255)
    a[24:, 32:] = (255, 255, 0)
    return Image.fromarray(a)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation(orientation: int) -> None:
    """JPEG (decoded by OpenCV) and PNG (by Pillow) with the same EXIF tag come out the same way up."""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    jpeg = _save(_quadrants(), "JPEG", quality=95, exif=exif.tobytes())
    png = _save(_quadrants(), "PNG", exif=exif.tobytes())

    from_jpeg, from_png = decode_image(jpeg), decode_image(png)

    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(png))).convert("RGB")
    np.testing.assert_array_equal(from_png, cv2.cvtColor(np.asarray(upright), cv2.COLOR_RGB2BGR))
    assert from_jpeg.shape == from_png.shape
    assert np.abs(from_jpeg.astype(int) - from_png.astype(int)).mean() < 6
    info = probe_image(jpeg)
    assert info is not None and (info.height, info.width) == from_jpeg.shape[:2]


@pytest.mark.parametrize("fmt", ["HEIC", "AVIF"])
@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_heic_and_avif_come_out_upright(fmt: str, orientation: int) -> None:
    """A phone's rotation reaches us as HEIF's own rotation (pillow-heif's encoder turns the
    EXIF tag into it) or as the EXIF tag (Pillow's AVIF): either way the photo is upright, as
    the same PNG is, and its header's size is the upright one."""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    data = (_heic(_quadrants(), exif=exif.tobytes()) if fmt == "HEIC"
            else _save(_quadrants(), "AVIF", quality=95, exif=exif.tobytes()))
    want = decode_image(_save(_quadrants(), "PNG", exif=exif.tobytes()))
    got = decode_image(data)
    assert got.shape == want.shape
    assert np.abs(got.astype(int) - want.astype(int)).mean() < 8
    info = probe_image(data)
    assert info is not None and (info.height, info.width) == got.shape[:2]
    assert info.mime_type == {"HEIC": "image/heic", "AVIF": "image/avif"}[fmt]


def test_bgr_order() -> None:
    img = decode_image(_save(_two_tone(), "PNG"))
    assert tuple(img[0, 0]) == (0, 0, 255)  # red in BGR
    assert tuple(img[-1, 0]) == (255, 0, 0)  # blue in BGR


def _palette_with_transparency() -> Image.Image:
    im = _two_tone().convert("P")
    im.info["transparency"] = bytes([0] * 3)  # per-entry alpha for the first palette entries
    return im


def _gray16() -> Image.Image:
    a = np.full((30, 40), 0x8000, np.uint16)
    a[:, 20:] = 0xFFFF
    return Image.fromarray(a)


CASES = {
    "png-rgba": lambda: _save(_two_tone().convert("RGBA"), "PNG"),
    "png-palette": lambda: _save(_two_tone().convert("P"), "PNG"),
    "png-palette-transparent": lambda: _save(
        _palette_with_transparency(), "PNG", transparency=bytes([0] * 3)
    ),
    "png-gray": lambda: _save(_two_tone().convert("L"), "PNG"),
    "png-gray-alpha": lambda: _save(_two_tone().convert("LA"), "PNG"),
    "png-16bit": lambda: _save(_gray16(), "PNG"),
    "png-bilevel": lambda: _save(_two_tone().convert("1"), "PNG"),
    "webp": lambda: _save(_two_tone(), "WEBP"),
    "webp-alpha": lambda: _save(_two_tone().convert("RGBA"), "WEBP", lossless=True),
    "bmp": lambda: _save(_two_tone(), "BMP"),
    "tiff": lambda: _save(_two_tone(), "TIFF"),
    "tiff-cmyk": lambda: _save(_two_tone().convert("CMYK"), "TIFF"),
    "tiff-16bit": lambda: _save(_gray16(), "TIFF"),
    "jpeg-cmyk": lambda: _save(_two_tone().convert("CMYK"), "JPEG"),
    "jpeg-gray": lambda: _save(_two_tone().convert("L"), "JPEG"),
    "jpeg-progressive": lambda: _save(_two_tone(), "JPEG", progressive=True),
    "jpeg-mpo": lambda: _save(_two_tone(), "MPO", save_all=True, append_images=[_quadrants()]),
    "gif": lambda: _save(_two_tone(), "GIF"),
    "heic": lambda: _heic(_two_tone()),
    "heic-alpha": lambda: _heic(_two_tone().convert("RGBA")),
    "avif": lambda: _save(_two_tone(), "AVIF", quality=90),
    "avif-alpha": lambda: _save(_two_tone().convert("RGBA"), "AVIF", quality=90),
    "gif-transparent": lambda: _save(_two_tone().convert("P"), "GIF", transparency=0),
    "gif-animated": lambda: _save(
        _two_tone(), "GIF", save_all=True, append_images=[Image.new("RGB", (64, 48), (0, 255, 0))]
    ),
}


@pytest.mark.filterwarnings("error")  # e.g. Pillow's warning about palette transparency
@pytest.mark.parametrize("case", sorted(CASES))
def test_decodes_to_three_channel_uint8(case: str) -> None:
    data = CASES[case]()
    img = decode_image(data)
    assert img.dtype == np.uint8
    assert img.ndim == 3 and img.shape[2] == 3
    assert img.flags.c_contiguous
    info = probe_image(data)
    assert info is not None
    assert (info.height, info.width) == img.shape[:2]


def test_16bit_keeps_high_byte() -> None:
    img = decode_image(_save(_gray16(), "PNG"))
    assert img.shape == (30, 40, 3)
    assert (img[:, :20] == 0x80).all() and (img[:, 20:] == 0xFF).all()


def test_gif_gives_first_frame() -> None:
    img = decode_image(CASES["gif-animated"]())
    assert img[2, 2, 1] < 60  # the first frame's red top, not the green second frame
    assert img[2, 2, 2] > 200


def test_colour_formats_keep_colours() -> None:
    for case in (
        "png-rgba",
        "png-palette",
        "png-palette-transparent",
        "gif-transparent",
        "bmp",
        "tiff",
        "tiff-cmyk",
        "webp-alpha",
        "gif",
        "heic",
        "heic-alpha",
        "avif",
        "avif-alpha",
    ):
        img = decode_image(CASES[case]())
        assert tuple(img[5, 5].tolist()) == pytest.approx((0, 0, 255), abs=8), case
        assert tuple(img[-5, 5].tolist()) == pytest.approx((255, 0, 0), abs=8), case


def test_photo_decodes_as_a_direct_predict_reads_it() -> None:
    """Ultralytics reads files with cv2.imdecode; the same pixels keep our detections equal to its own."""
    data = (ASSETS / "bus.jpg").read_bytes()
    img = decode_image(data)
    assert img.shape == (1080, 810, 3)
    np.testing.assert_array_equal(
        img, cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    )
    # Pillow's decode of the same picture (the path for other formats) agrees to within rounding.
    rgb = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    assert np.abs(img[..., ::-1].astype(int) - rgb.astype(int)).mean() < 1.0


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, this is text and not a picture\n" * 10,
        b"%PDF-1.7\n",
        b"\xff\xd8\xff",  # a JPEG's first bytes and nothing more
        b"\x89PNG\r\n\x1a\n" + b"\0" * 40,
        b"GIF89a",
        b"RIFF\0\0\0\0WEBPVP8 ",
    ],
    ids=[
        "empty",
        "text",
        "pdf",
        "jpeg-magic-only",
        "png-garbage",
        "gif-magic-only",
        "webp-header-only",
    ],
)
def test_non_images_are_unsupported(data: bytes) -> None:
    with pytest.raises(UnsupportedImage):
        decode_image(data)
    assert probe_image(data) is None


def test_truncated_jpeg_is_unsupported() -> None:
    data = (ASSETS / "bus.jpg").read_bytes()
    for cut in (len(data) // 2, len(data) - 2):  # half, and only the end-of-image marker missing
        with pytest.raises(UnsupportedImage, match="truncated"):
            decode_image(data[:cut])
    # The header is intact, so probing still knows what it is.
    assert probe_image(data[: len(data) // 2]) == ImageInfo(format="JPEG", width=810, height=1080)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "TIFF", "GIF", "BMP", "HEIC", "AVIF"])
def test_truncated_other_formats_are_unsupported(fmt: str) -> None:
    photo = Image.open(ASSETS / "zidane.jpg").convert("RGB")
    data = _heic(photo) if fmt == "HEIC" else _save(photo, fmt)
    with pytest.raises(UnsupportedImage):
        decode_image(data[: len(data) // 2])


def test_jpeg_with_trailer_decodes() -> None:
    """Some cameras append data after the end-of-image marker; that is no truncation."""
    data = (ASSETS / "zidane.jpg").read_bytes()
    np.testing.assert_array_equal(
        decode_image(data + b"\0" * 64 + b"SEFT trailer"), decode_image(data)
    )


def test_probe_reads_the_head_only() -> None:
    data = (ASSETS / "zidane.jpg").read_bytes()
    info = probe_image(data[:4096])
    assert info == ImageInfo(format="JPEG", width=1280, height=720)
    assert info.mime_type == "image/jpeg"


def test_unsupported_image_is_a_value_error() -> None:
    assert issubclass(UnsupportedImage, ValueError)
    assert issubclass(ImageTooLarge, UnsupportedImage)


def test_max_pixels_checked_before_decoding() -> None:
    data = _save(_two_tone(64, 48), "PNG")
    with pytest.raises(ImageTooLarge, match="64x48"):
        decode_image(data, max_pixels=64 * 48 - 1)
    with pytest.raises(ImageTooLarge):
        probe_image(data, max_pixels=100)
    assert decode_image(data, max_pixels=64 * 48).shape == (48, 64, 3)


def test_decompression_bomb_is_refused_without_pillow_warnings() -> None:
    # 12000 x 12000 bilevel PNG: a few hundred KB of file, 432 MB once decoded to BGR.
    bomb = _save(Image.new("1", (12000, 12000)), "PNG")
    assert len(bomb) < 1_000_000
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Pillow's own DecompressionBombWarning would fail the test
        with pytest.raises(ImageTooLarge):
            decode_image(bomb)
        with pytest.raises(ImageTooLarge):
            probe_image(bomb)


@pytest.mark.parametrize(
    ("height", "width"),
    [
        (1080, 810),
        (720, 1280),
        (3000, 4000),
        (641, 100),
        (1, 3000),
        (3000, 2),
        (999, 999),
        (1000, 1001),
    ],
)
def test_resize_matches_letterbox(height: int, width: int) -> None:
    rng = np.random.default_rng(height * 7 + width)
    img = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)

    resized, scale = resize_for_model(img, 640)

    assert max(resized.shape[:2]) == 640
    assert scale == pytest.approx(640 / max(height, width))
    # Ultralytics' letterbox of our output is pixel for pixel its letterbox of the original: it only pads.
    letterbox = LetterBox(new_shape=(640, 640), auto=False)
    np.testing.assert_array_equal(letterbox(image=resized), letterbox(image=img))
    assert (
        LetterBox(new_shape=(640, 640)).get_params({"img": resized})["new_unpad"]
        == resized.shape[1::-1]
    )


def test_resize_to_height_width_target() -> None:
    img = np.zeros((1080, 1920, 3), np.uint8)
    resized, scale = resize_for_model(img, (384, 640))
    assert resized.shape == (360, 640, 3)
    assert scale == pytest.approx(1 / 3)


@pytest.mark.parametrize(("height", "width"), [(480, 640), (100, 50), (640, 640), (1, 1)])
def test_resize_never_upscales(height: int, width: int) -> None:
    img = np.full((height, width, 3), 7, np.uint8)
    resized, scale = resize_for_model(img, 640)
    assert resized is img
    assert scale == 1.0


def test_draw_and_encode() -> None:
    img = np.full((480, 640, 3), 128, np.uint8)
    box = Detection("person", 0, 0.87, 100, 150, 300, 400)

    drawn = draw_detections(img, [box])
    data = encode_jpeg(drawn, 90)

    assert (img == 128).all()  # the input is left alone
    assert data[:3] == b"\xff\xd8\xff"
    back = decode_image(data)
    assert back.shape == img.shape
    diff = np.abs(back.astype(int) - 128).sum(axis=2)
    assert diff[150:400, 98:103].mean() > 100  # the left edge of the box
    assert diff[120:150, 100:200].mean() > 30  # the caption above it
    assert diff[200:350, 150:250].mean() < 5  # inside the box, untouched
    assert diff[:, 400:].mean() < 5  # far away, untouched


def test_draw_uses_class_colours_and_copes_with_edges() -> None:
    img = np.zeros((200, 300, 3), np.uint8)
    boxes = [Detection("person", 0, 0.9, 0, 0, 120, 120), Detection("bus", 5, 0.5, 150, 60, 300, 200)]
    drawn = draw_detections(img, boxes)
    assert not np.array_equal(drawn[100, 1], drawn[150, 151])  # two classes, two colours
    assert draw_detections(img, []).tobytes() == img.tobytes()


def test_encode_jpeg_rejects_bad_quality() -> None:
    with pytest.raises(ValueError):
        encode_jpeg(np.zeros((8, 8, 3), np.uint8), 0)
    small = encode_jpeg(np.zeros((64, 64, 3), np.uint8), 10)
    assert decode_image(small).shape == (64, 64, 3)
