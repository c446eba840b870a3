"""The detector on the real test model: what it finds, and that it agrees with a direct Ultralytics predict."""

from __future__ import annotations

import os
import pathlib
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import cv2
import numpy as np
import pytest
import torch
import ultralytics
from ultralytics import YOLO

from recognition_service.detector import (
    Detection,
    Detector,
    ModelUnavailable,
    model_format,
    pick_device,
)
from recognition_service.imaging import decode_image
from scenelens.settings import Settings

ASSETS = pathlib.Path(ultralytics.__file__).parent / "assets"
REPO = pathlib.Path(__file__).resolve().parents[2]


def _model_path() -> str:
    path = os.environ.get("SCENELENS_MODEL") or str(
        REPO.parent / "shared/models/yolov8n_int8_openvino_model"
    )
    assert pathlib.Path(path).exists(), f"test model {path} missing; set SCENELENS_MODEL"
    return path


def _settings(**overrides: Any) -> Settings:
    # Ultralytics' own predict defaults, so a direct predict is comparable whatever the environment sets.
    values: dict[str, Any] = {
        "model": _model_path(),
        "device": "",
        "imgsz": 640,
        "conf": 0.25,
        "iou": 0.7,
    }
    return Settings(**{**values, **overrides})


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector.load(_settings())


@pytest.fixture(scope="module")
def bare() -> YOLO:
    return YOLO(_model_path(), task="detect")


def _photo(name: str) -> np.ndarray:
    return decode_image((ASSETS / name).read_bytes())


def _pairs(ours: list[Detection], theirs: list[Detection]) -> Iterator[tuple[Detection, Detection]]:
    """Match each of theirs to the closest unmatched one of ours with the same label."""
    left = list(ours)
    for t in theirs:
        same = [o for o in left if o.label == t.label]
        assert same, f"no {t.label} left in ours to match {t}"
        best = min(
            same,
            key=lambda o: max(
                abs(o.x1 - t.x1), abs(o.y1 - t.y1), abs(o.x2 - t.x2), abs(o.y2 - t.y2)
            ),
        )
        left.remove(best)
        yield best, t


def _from_results(result: Any) -> list[Detection]:
    names = result.names
    return [
        Detection(names[int(c)], int(c), float(p), *map(float, b))
        for c, p, b in zip(
            result.boxes.cls.tolist(),
            result.boxes.conf.tolist(),
            result.boxes.xyxy.tolist(),
            strict=True,
        )
    ]


def test_bus_photo(detector: Detector) -> None:
    found = detector.detect(_photo("bus.jpg"))
    sure = [d for d in found if d.confidence > 0.5]
    assert [d.label for d in sure].count("bus") == 1
    assert [d.label for d in sure].count("person") >= 3
    bus = next(d for d in sure if d.label == "bus")
    assert bus.class_id == 5
    # The bus spans most of the 810 x 1080 photo's width, in the photo's own pixels.
    assert bus.x2 - bus.x1 > 600 and 150 < bus.y1 < 300 and 700 < bus.y2 < 850


@pytest.mark.parametrize("name", ["bus.jpg", "zidane.jpg"])
def test_same_as_direct_predict(detector: Detector, bare: YOLO, name: str) -> None:
    """Acceptance: our decode, resize and detect give what YOLO(model).predict(path) gives."""
    ours = detector.detect(_photo(name))
    theirs = _from_results(bare.predict(str(ASSETS / name), verbose=False)[0])

    assert theirs, "the direct predict found nothing to compare with"
    assert sorted(d.label for d in ours) == sorted(d.label for d in theirs)
    for o, t in _pairs(ours, theirs):
        for a, b in ((o.x1, t.x1), (o.y1, t.y1), (o.x2, t.x2), (o.y2, t.y2)):
            assert abs(a - b) <= 2.0, f"{o} vs {t}"
        assert o.class_id == t.class_id
        assert o.confidence == pytest.approx(t.confidence, abs=0.05)


def test_sorted_and_clipped(detector: Detector) -> None:
    img = _photo("zidane.jpg")
    found = detector.detect(img)
    assert len(found) >= 3
    assert [d.confidence for d in found] == sorted((d.confidence for d in found), reverse=True)
    height, width = img.shape[:2]
    for d in found:
        assert 0 <= d.x1 < d.x2 <= width and 0 <= d.y1 < d.y2 <= height
        assert 0.25 <= d.confidence <= 1.0


def test_boxes_are_in_the_original_pixels(detector: Detector) -> None:
    img = _photo("bus.jpg")
    big = cv2.resize(img, (img.shape[1] * 2, img.shape[0] * 2), interpolation=cv2.INTER_LINEAR)
    small = [d for d in detector.detect(img) if d.confidence > 0.5]
    large = [d for d in detector.detect(big) if d.confidence > 0.5]
    assert len(small) == len(large)
    for s, b in _pairs(
        large,
        [
            Detection(d.label, d.class_id, d.confidence, d.x1 * 2, d.y1 * 2, d.x2 * 2, d.y2 * 2)
            for d in small
        ],
    ):
        assert max(abs(s.x1 - b.x1), abs(s.y1 - b.y1), abs(s.x2 - b.x2), abs(s.y2 - b.y2)) <= 8


def test_resizes_before_the_model_call(detector: Detector, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, ...]] = []
    real = detector._yolo.predict

    def spy(source: list[np.ndarray], **kwargs: Any) -> Any:
        seen.extend(im.shape for im in source)
        return real(source, **kwargs)

    monkeypatch.setattr(detector._yolo, "predict", spy)
    detector.detect(np.zeros((3000, 4000, 3), np.uint8))
    detector.detect(np.zeros((300, 200, 3), np.uint8))
    assert seen == [(480, 640, 3), (300, 200, 3)]


def test_batch_equals_single(detector: Detector) -> None:
    photos = [_photo("bus.jpg"), _photo("zidane.jpg")]
    assert detector.detect_batch(photos) == [detector.detect(p) for p in photos]
    assert detector.detect_batch([]) == []


def test_concurrent_calls(detector: Detector) -> None:
    photos = [_photo("bus.jpg"), _photo("zidane.jpg")] * 3
    expected = [detector.detect(p) for p in photos]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(detector.detect, photos)) == expected


def test_odd_images(detector: Detector) -> None:
    assert detector.detect(np.zeros((5, 9, 3), np.uint8)) == []
    assert isinstance(detector.detect(np.zeros((1, 2000, 3), np.uint8)), list)
    with pytest.raises(ValueError, match="HxWx3 uint8"):
        detector.detect(np.zeros((50, 50), np.uint8))
    with pytest.raises(ValueError, match="HxWx3 uint8"):
        detector.detect(np.zeros((50, 50, 3), np.float32))
    with pytest.raises(ValueError, match="no pixels"):
        detector.detect(np.zeros((0, 50, 3), np.uint8))


def test_model_identity(detector: Detector) -> None:
    path = pathlib.Path(_model_path())
    assert detector.model_name == path.stem
    metadata = path / "metadata.yaml"
    match = (
        re.search(r"^version: '?([\w.]+)'?$", metadata.read_text(), re.M)
        if metadata.exists()
        else None
    )
    assert detector.model_version == (match[1] if match else ultralytics.__version__)
    assert detector.device == "cpu"  # an OpenVINO export runs on the host
    assert detector.input_size == (640, 640)
    assert detector.class_names[0] == "person"


def test_device_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    assert model_format("/m/yolo11n.pt") == "pt"
    assert model_format("/m/yolo11n.onnx") == "onnx"
    assert model_format("/m/yolov8n_int8_openvino_model") == "host"
    assert pick_device("intel:gpu", "host") == "intel:gpu"
    assert pick_device("cpu", "pt") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert pick_device("", "pt") == "cuda:0"
    assert pick_device("", "onnx") == "cuda:0"
    assert pick_device("", "host") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert pick_device("", "pt") == "cpu"


def test_missing_model(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ModelUnavailable, match="SCENELENS_MODEL"):
        Detector.load(_settings(model=str(tmp_path / "gone_openvino_model")))


def test_pytorch_checkpoint(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The .pt path: an untrained YOLOv8n built from Ultralytics' own config, so nothing downloads."""
    checkpoint = tmp_path / "untrained.pt"
    YOLO("yolov8n.yaml", task="detect").save(str(checkpoint))
    detector = Detector.load(_settings(model=str(checkpoint), device="cpu"))
    assert detector.model_name == "untrained"
    assert detector.model_version == ultralytics.__version__
    assert detector.device == "cpu"

    seen: list[tuple[int, ...]] = []
    real = detector._yolo.predict

    def spy(source: list[np.ndarray], **kwargs: Any) -> Any:
        seen.extend(im.shape for im in source)
        return real(source, **kwargs)

    monkeypatch.setattr(detector._yolo, "predict", spy)
    found = detector.detect(_photo("bus.jpg"))
    assert seen == [(640, 480, 3)]
    assert all(isinstance(d, Detection) for d in found)


def test_micro_batches_match_single_calls(detector: Detector) -> None:
    """Through the batcher, the real model returns each photo's own detections."""
    import asyncio

    from recognition_service.batcher import InferenceBatcher

    photos = [_photo("bus.jpg"), _photo("zidane.jpg"), _photo("bus.jpg")]
    expected = [detector.detect(p) for p in photos]
    batcher = InferenceBatcher(detector, max_batch=2, window_s=0.01)

    async def all_of_them() -> list[list[Detection]]:
        return await asyncio.gather(*(batcher.detect(p) for p in photos))

    assert asyncio.run(all_of_them()) == expected
