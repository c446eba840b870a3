"""Signed webhooks: delivery, retries with the same id, 410 disables, SSRF refusal (issue 10)."""
from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks import Webhook

from tests.support import ApiClient, wait_until


class Receiver:
    """A webhook receiver on loopback whose answers are scripted per path."""

    def __init__(self) -> None:
        self.script: dict[str, list[int]] = {}
        self.got: dict[str, list[tuple[dict[str, str], bytes]]] = defaultdict(list)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.got[self.path].append(({k.lower(): v for k, v in self.headers.items()},
                                                body))
                codes = receiver.script.get(self.path, [200])
                code = codes.pop(0) if len(codes) > 1 else codes[0]
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()


def _register(api: ApiClient, url: str, events: list[str]) -> dict[str, Any]:
    resp = api.http.post("/v1/webhooks", json={"url": url, "events": events})
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


def test_deliveries_are_signed_retried_and_410_disables(
    receiver: Receiver, make_tenant: Any, base_url: str, bus_bytes: bytes
) -> None:
    api = ApiClient(base_url, make_tenant("hooked", "pro").api_key)
    receiver.script = {"/flaky": [500, 500, 200], "/gone": [410]}
    hooks = {path: _register(api, receiver.url + path, ["task.done", "task.failed"])
             for path in ("/ok", "/flaky", "/gone")}
    assert all(h["secret"].startswith("whsec_") and h["enabled"] for h in hooks.values())
    listed = api.http.get("/v1/webhooks").json()["webhooks"]
    assert {h["webhook_id"] for h in listed} == {h["webhook_id"] for h in hooks.values()}
    assert all(h["secret"] == "" for h in listed)  # shown once, at creation

    task_id = api.create(bus_bytes, "hooked.jpg")["task_id"]
    assert api.wait_terminal(task_id)["status"] == "TASK_STATUS_DONE"
    wait_until(lambda: len(receiver.got["/flaky"]) >= 3 and receiver.got["/ok"]
               and receiver.got["/gone"], timeout=60, what="webhook deliveries")

    for path in ("/ok", "/flaky"):
        for headers, body in receiver.got[path]:
            payload = Webhook(hooks[path]["secret"]).verify(body, headers)
            assert payload["type"] == "task.done"
            assert payload["data"]["task_id"] == task_id and payload["data"]["segments_done"] == 1
    # Retries carry the same webhook-id; the third attempt succeeded and nothing came after.
    flaky_ids = {h["webhook-id"] for h, _ in receiver.got["/flaky"]}
    assert len(flaky_ids) == 1 and len(receiver.got["/flaky"]) == 3
    deliveries = api.http.get(f"/v1/webhooks/{hooks['/flaky']['webhook_id']}/deliveries").json()
    [delivery] = deliveries["deliveries"]
    assert delivery["delivery_id"] == flaky_ids.pop() and delivery["status"] == "delivered"
    assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 500, 200]
    # With a wrong secret, verification fails.
    with pytest.raises(Exception, match="signature"):
        headers, body = receiver.got["/ok"][0]
        Webhook(hooks["/flaky"]["secret"]).verify(body, headers)

    # 410 disabled that endpoint: a second task reaches /ok but never /gone again.
    gone = next(h for h in api.http.get("/v1/webhooks").json()["webhooks"]
                if h["webhook_id"] == hooks["/gone"]["webhook_id"])
    assert gone["enabled"] is False and "410" in gone["disabled_reason"]
    second = api.create(bus_bytes, "again.jpg")["task_id"]
    api.wait_terminal(second)
    wait_until(lambda: len(receiver.got["/ok"]) >= 2, timeout=60, what="second delivery")
    assert len(receiver.got["/gone"]) == 1


def test_registration_is_validated_and_scoped(make_tenant: Any, base_url: str,
                                              receiver: Receiver) -> None:
    api = ApiClient(base_url, make_tenant("careful", "pro").api_key)
    port = receiver.server.server_address[1]
    for url, events, message in [
        ("http://10.0.0.1/hook", ["task.done"], "resolves to 10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data", ["task.done"], "link-local"),
        (f"http://127.0.0.2:{port}/", ["task.done"], "resolves to 127.0.0.2"),
        ("ftp://example.com/", ["task.done"], "http:// or https://"),
        (receiver.url + "/x", ["task.exploded"], "unknown event"),
        (receiver.url + "/x", [], "at least one"),
    ]:
        resp = api.http.post("/v1/webhooks", json={"url": url, "events": events})
        assert resp.status_code == 400, (url, resp.text)
        assert message in resp.json()["message"], (url, resp.text)
    assert api.http.get("/v1/webhooks").json()["webhooks"] == []

    mine = _register(api, receiver.url + "/mine", ["task.done"])
    other = ApiClient(base_url, make_tenant("nosy", "pro").api_key)
    path = f"/v1/webhooks/{mine['webhook_id']}"
    assert other.http.get(path + "/deliveries").status_code == 404
    assert other.http.delete(path).status_code == 404
    assert other.http.get("/v1/webhooks").json()["webhooks"] == []
    assert api.http.delete(path).status_code == 200
    assert api.http.get(path + "/deliveries").status_code == 404
