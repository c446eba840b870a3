"""Upload rules: sniffing by content, safe names, option validation."""
from __future__ import annotations

import pytest

from scenelens.domain import media
from scenelens.domain.errors import InvalidRequest


@pytest.mark.parametrize(("head", "kind"), [
    (b"\xff\xd8\xff\xe0" + b"\0" * 20, "photo"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "photo"),
    (b"RIFF\0\0\0\0WEBPVP8 ", "photo"),
    (b"\0\0\0\x18ftypisom\0\0\0\0", "video"),
    (b"\0\0\0\x14ftypqt  \0\0\0\0", "video"),
    (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01webm", "video"),
    (b"RIFF\0\0\0\0AVI LIST", "video"),
    (b"\0\0\0\x1cftypheic\0\0\0\0mif1heicmiaf", "photo"),  # an iPhone's HEIC
    (b"\0\0\0\x18ftypmif1\0\0\0\0mif1heic", "photo"),  # generic HEIF brand, HEVC inside
    (b"\0\0\0\x20ftypavif\0\0\0\0avifmif1miafMA1B", "photo"),
    (b"\0\0\0\x1cftypisom\0\0\x02\0isomiso2avc1mp41", "video"),  # compatible brands, no image
])
def test_sniff_by_content(head: bytes, kind: str) -> None:
    sniffed = media.sniff(head)
    assert sniffed is not None and sniffed[0] == kind


@pytest.mark.parametrize("head", [b"hello, I am text", b"%PDF-1.7\n", b"\0" * 64, b"PK\x03\x04zip",
                                  b"\0\0\0\x18ftypmif1\0\0\0\0mif1jpeg"])  # JPEG in HEIF
def test_sniff_rejects_other_content(head: bytes) -> None:
    assert media.sniff(head) is None


@pytest.mark.parametrize(("head", "content_type"), [
    (b"\0\0\0\x1cftypheic\0\0\0\0mif1heicmiaf", "image/heic"),
    (b"\0\0\0\x18ftypmif1\0\0\0\0mif1heic", "image/heic"),
    (b"\0\0\0\x20ftypavif\0\0\0\0avifmif1miafMA1B", "image/avif"),
    (b"\0\0\0\x18ftypmsf1\0\0\0\0msf1avis", "image/avif"),  # an animated AVIF
])
def test_heic_and_avif_are_photos(head: bytes, content_type: str) -> None:
    assert media.sniff(head) == (media.PHOTO, content_type)


@pytest.mark.parametrize(("name", "safe"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\me\\photo 1.jpg", "photo_1.jpg"),
    ("Ünïcode façade.jpg", "Unicode_facade.jpg"),
    ("日本語.png", "upload.png"),
    ("отпуск 2024.mp4", "2024.mp4"),
    ("...", "upload"),
])
def test_safe_filename(name: str, safe: str) -> None:
    assert media.safe_filename(name) == safe


def test_safe_filename_bounds_length_and_keeps_extension() -> None:
    out = media.safe_filename("a" * 500 + ".jpeg")
    assert len(out) <= 120 and out.endswith(".jpeg")


@pytest.mark.parametrize("name", [
    "a\nb.jpg", "a\x00b.jpg", "x\x7f.png",
    "a\x85b.jpg", "a\x9fb.jpg",  # C1 controls
    "photo\u202egpj.exe", "a\u2066b.jpg", "a\u2028b.jpg",  # reorder or break how it shows
])
def test_control_characters_rejected(name: str) -> None:
    with pytest.raises(InvalidRequest, match="control characters"):
        media.check_filename(name)


@pytest.mark.parametrize("name", [
    "Отпуск 2024.jpg", "صورة.jpg", "a\u200db.jpg", "caf\u00e9 \u00a0x.png", "\U0001f600.jpg",
])
def test_other_unicode_names_are_kept(name: str) -> None:
    assert media.check_filename(name) == name


@pytest.mark.parametrize("name", ["../", "a/b/", "..", ".", "C:\\dir\\", "/"])
def test_a_name_that_is_only_a_path_is_rejected(name: str) -> None:
    with pytest.raises(InvalidRequest, match="no file name"):
        media.check_filename(name)


@pytest.mark.parametrize("name", ["Отпуск на море.jpg", "日本語.png", "a/b/c.jpg", "..."])
def test_names_are_kept_as_given(name: str) -> None:
    assert media.check_filename(name) == name


@pytest.mark.parametrize("kwargs", [
    {"detector": "magic"}, {"threshold": 0.0}, {"threshold": float("nan")},
    {"threshold": 300.0}, {"min_scene_seconds": -1.0}, {"max_scenes": 0},
])
def test_scene_options_out_of_range(kwargs: dict[str, object]) -> None:
    base: dict[str, object] = {"detector": "", "threshold": None, "min_scene_seconds": None,
                               "max_scenes": None}
    with pytest.raises(InvalidRequest):
        media.scene_options(**{**base, **kwargs})  # type: ignore[arg-type]


def test_scene_options_valid() -> None:
    assert media.scene_options(detector="adaptive", threshold=3.0, min_scene_seconds=1.0,
                               max_scenes=10) == {
        "detector": "adaptive", "threshold": 3.0, "min_scene_seconds": 1.0, "max_scenes": 10}
    # The fade- and dissolve-aware detector (the service default) can be asked for by name too.
    assert media.scene_options(detector="transition", threshold=13.0, min_scene_seconds=None,
                               max_scenes=None) == {"detector": "transition", "threshold": 13.0}
