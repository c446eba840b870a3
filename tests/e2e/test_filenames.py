"""File names as clients send them: kept exactly in the task, made safe only in the S3 key."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.support import ApiClient, Stores


def _multipart(api: ApiClient, disposition: bytes, data: bytes) -> dict:  # type: ignore[type-arg]
    body = (b"--b0undary\r\nContent-Disposition: " + disposition
            + b"\r\nContent-Type: image/jpeg\r\n\r\n" + data + b"\r\n--b0undary--\r\n")
    resp = api.http.post("/v1/analysis", content=body,
                         headers={"Content-Type": "multipart/form-data; boundary=b0undary"})
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


NAME = "Отпуск на море — 日本 2024.jpg"


@pytest.mark.parametrize("how", ["raw UTF-8 (curl -F, browsers)", "RFC 5987 filename*",
                                 "httpx form", "raw body ?filename="])
def test_non_ascii_names_are_kept(api: ApiClient, stores: Stores, bus_bytes: bytes,
                                  how: str) -> None:
    if how.startswith("raw UTF-8"):
        task = _multipart(api, b'form-data; name="file"; filename="' + NAME.encode() + b'"',
                          bus_bytes)
    elif how.startswith("RFC 5987"):
        task = _multipart(api, b"form-data; name=\"file\"; filename=\"fallback.jpg\"; "
                          b"filename*=UTF-8''" + quote(NAME).encode(), bus_bytes)
    elif how == "httpx form":
        task = api.create(bus_bytes, NAME, content_type="image/jpeg")
    else:
        task = api.create(bus_bytes, NAME, multipart=False, content_type="image/jpeg")
    assert task["filename"] == NAME
    tid = task["task_id"]
    assert api.task(tid).json()["filename"] == NAME
    # The key keeps what is safe of the name (ASCII letters, digits, . _ -) and its extension.
    assert stores.keys(f"input-files/{tid}/") == [f"input-files/{tid}/2024.jpg"]
    assert api.wait_terminal(tid)["status"] == "TASK_STATUS_DONE"
    [segment] = api.all_segments(tid)
    labels = {d["label"] for d in api.segment(tid, segment["segment_id"]).json()["detections"]}
    assert "bus" in labels  # the bytes arrived whole
