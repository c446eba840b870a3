"""A photo end to end through Envoy's REST, as a user does it (issue 2, acceptance 1-3)."""
from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
from PIL import Image
from ultralytics import YOLO

from tests.support import ApiClient


def _check_bus(api: ApiClient, task: dict, timeout: float = 30) -> dict:
    done = api.wait_terminal(task["task_id"], timeout=timeout)
    assert done["status"] == "TASK_STATUS_DONE", done
    assert done["kind"] == "MEDIA_KIND_PHOTO"
    assert (done["segments_total"], done["segments_done"], done["segments_failed"]) == (1, 1, 0)
    segments = api.all_segments(task["task_id"])
    assert len(segments) == 1 and segments[0]["status"] == "SEGMENT_STATUS_DONE"
    seg = api.segment(task["task_id"], segments[0]["segment_id"]).json()
    strong = [d["label"] for d in seg["detections"] if d["confidence"] > 0.5]
    assert strong.count("bus") >= 1 and strong.count("person") >= 3, seg["detections"]
    assert seg["model_name"] and seg["model_version"]
    return seg


def test_multipart_upload_reaches_done_with_bus_and_people(api: ApiClient, bus: Path) -> None:
    resp = api.http.post("/analysis", files={"file": ("bus.jpg", bus.read_bytes(), "image/jpeg")})
    assert resp.status_code == 200, resp.text
    task = resp.json()
    assert task["filename"] == "bus.jpg"
    assert task["content_type"] == "image/jpeg"
    assert int(task["size_bytes"]) == bus.stat().st_size
    assert task["status"] in ("TASK_STATUS_PENDING", "TASK_STATUS_PROCESSING", "TASK_STATUS_DONE")
    seg = _check_bus(api, task)
    # The annotated image downloads through its time-limited link, and has boxes drawn.
    image = httpx.get(seg["result_image_url"], timeout=30)
    assert image.status_code == 200
    assert image.content[:3] == b"\xff\xd8\xff"
    annotated = Image.open(io.BytesIO(image.content)).convert("RGB")
    original = Image.open(bus).convert("RGB")
    assert annotated.size == original.size
    diff = sum(abs(a - b) for a, b in zip(annotated.resize((64, 64)).tobytes(),
                                          original.resize((64, 64)).tobytes(), strict=True))
    assert diff > 64 * 64 * 3  # boxes changed the picture


def test_raw_body_upload_with_filename(api: ApiClient, bus: Path) -> None:
    task = api.create(bus.read_bytes(), "bus.jpg", multipart=False, content_type="image/jpeg")
    assert task["filename"] == "bus.jpg"
    _check_bus(api, task)


def test_streaming_upload(api: ApiClient, bus: Path) -> None:
    data = bus.read_bytes()

    def chunks() -> Iterator[bytes]:
        for i in range(0, len(data), 32 * 1024):
            yield data[i : i + 32 * 1024]

    resp = api.stream_upload(chunks(), "bus.jpg", content_type="image/jpeg")
    assert resp.status_code == 200, resp.text
    _check_bus(api, resp.json())


def test_detections_equal_direct_ultralytics(api: ApiClient, bus: Path, zidane: Path,
                                             model_path: str) -> None:
    """Same labels, boxes within 2 px, as Ultralytics called directly on the same file."""
    model = YOLO(model_path, task="detect")
    for path in (bus, zidane):
        task = api.create(path.read_bytes(), path.name)
        done = api.wait_terminal(task["task_id"], timeout=60)
        assert done["status"] == "TASK_STATUS_DONE", done
        seg_id = api.all_segments(task["task_id"])[0]["segment_id"]
        ours = api.segment(task["task_id"], seg_id).json()["detections"]
        direct = model.predict(str(path), verbose=False)[0]
        theirs = [(direct.names[int(c)], b) for c, b in
                  zip(direct.boxes.cls.tolist(), direct.boxes.xyxy.tolist(), strict=True)]
        assert sorted(d["label"] for d in ours) == sorted(label for label, _ in theirs)
        unmatched = list(theirs)
        for d in ours:
            box = [d["box"][k] for k in ("x1", "y1", "x2", "y2")]
            match = next((t for t in unmatched if t[0] == d["label"] and
                          max(abs(a - b) for a, b in zip(box, t[1], strict=True)) <= 2.0), None)
            assert match is not None, (path.name, d, theirs)
            unmatched.remove(match)


def test_phone_formats_heic_and_avif(api: ApiClient, bus: Path) -> None:
    """HEIC (what phones take) and AVIF are photos: found by their bytes whatever the name, read
    upright at their displayed size, recognised like the JPEG."""
    import pillow_heif

    photo = Image.open(bus).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 8  # stored turned a quarter to the right, to be viewed turned back
    stored = photo.transpose(Image.Transpose.ROTATE_270)
    heic, avif = io.BytesIO(), io.BytesIO()
    pillow_heif.from_pillow(stored).save(heic, quality=90, exif=exif.tobytes())
    stored.save(avif, "AVIF", quality=90, exif=exif.tobytes())
    for data, name, content_type in ((heic.getvalue(), "IMG_0001.HEIC", "image/heic"),
                                     (avif.getvalue(), "upload.bin", "image/avif")):
        resp = api.http.post("/analysis", files={"file": (name, data, "application/octet-stream")})
        assert resp.status_code == 200, resp.text
        task = resp.json()
        assert task["content_type"] == content_type and task["kind"] == "MEDIA_KIND_PHOTO", task
        seg = _check_bus(api, task)
        assert (seg["width"], seg["height"]) == photo.size  # upright: 810 x 1080
        buses = [d for d in seg["detections"] if d["label"] == "bus" and d["confidence"] > 0.5]
        # The bus spans the picture's width in its upright form, not its height.
        assert any(d["box"]["x2"] - d["box"]["x1"] > 0.7 * photo.width for d in buses), buses


def test_a_photo_that_does_not_decode_fails_with_its_reason(api: ApiClient, bus: Path) -> None:
    """The first half of a JPEG passes the gateway's header check; recognition cannot decode
    it, and the task's error says why (not only that its one segment failed)."""
    data = bus.read_bytes()
    task = api.create(data[: len(data) // 2], "half.jpg")
    done = api.wait_terminal(task["task_id"])
    assert done["status"] == "TASK_STATUS_FAILED", done
    assert "truncated" in done["error"], done
    assert done["segments_failed"] == 1, done
