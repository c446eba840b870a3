"""Load: many uploads at once, mixed photos and short videos; throughput and time to DONE.

Run against a running stack: python -m bench.load [-n 200] [--video-share 0.25] [--url ...]
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import pathlib
import statistics
import subprocess
import tempfile
import time
from datetime import datetime

import httpx

from bench.photos_bare import ASSETS
from bench.tenants import auth_headers
from scenelens.settings import Settings


def short_video(folder: pathlib.Path) -> pathlib.Path:
    """A 3-second clip with one hard cut, made from the two sample photos."""
    out = folder / "short.mp4"
    subprocess.run([
        "ffmpeg", "-v", "error", "-loop", "1", "-t", "1.5", "-i", str(ASSETS / "bus.jpg"),
        "-loop", "1", "-t", "1.5", "-i", str(ASSETS / "zidane.jpg"), "-filter_complex",
        "[0]scale=640:360,setsar=1,fps=25[a];[1]scale=640:360,setsar=1,fps=25[b];"
        "[a][b]concat=n=2:v=1[v]", "-map", "[v]", "-c:v", "libx264", "-pix_fmt", "yuv420p",
        "-y", str(out)], check=True)
    return out


def main() -> None:
    settings = Settings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--video-share", type=float, default=0.25)
    parser.add_argument("--url", default=f"http://127.0.0.1:{settings.http_port}")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        video = short_video(pathlib.Path(tmp)).read_bytes()
    photos = [(ASSETS / "bus.jpg").read_bytes(), (ASSETS / "zidane.jpg").read_bytes()]
    every = max(1, round(1 / args.video_share)) if args.video_share > 0 else 0
    uploads = [("short.mp4", video, "video/mp4") if every and i % every == 0
               else (f"p{i}.jpg", photos[i % 2], "image/jpeg") for i in range(args.n)]
    client = httpx.Client(base_url=args.url, timeout=300, headers=auth_headers(),
                          limits=httpx.Limits(max_connections=args.concurrency))
    started: dict[str, float] = {}
    errors: list[str] = []

    def upload(item: tuple[str, bytes, str]) -> str | None:
        name, data, ctype = item
        t = time.time()
        resp = client.post("/v1/analysis", files={"file": (name, data, ctype)})
        if resp.status_code != 200:
            errors.append(f"{resp.status_code} {resp.text[:200]}")
            return None
        tid: str = resp.json()["task_id"]
        started[tid] = t
        return tid

    t0 = time.time()
    with cf.ThreadPoolExecutor(args.concurrency) as pool:
        task_ids = [t for t in pool.map(upload, uploads) if t]
    upload_s = time.time() - t0
    pending = list(task_ids)
    finished: dict[str, float] = {}
    failed = 0
    deadline = time.time() + args.timeout
    while pending and time.time() < deadline:
        for tid in list(pending[:20]):
            body = client.get(f"/v1/analysis/{tid}").json()
            if body["status"] in ("TASK_STATUS_DONE", "TASK_STATUS_FAILED"):
                failed += body["status"] == "TASK_STATUS_FAILED"
                done = datetime.fromisoformat(body["updated_at"].replace("Z", "+00:00"))
                finished[tid] = done.timestamp()
                pending.remove(tid)
        time.sleep(0.25)
    total = max(finished.values(), default=time.time()) - t0
    lat = sorted(finished[t] - started[t] for t in finished)
    videos = sum(1 for u in uploads if u[0].endswith(".mp4"))
    print(f"uploads: {args.n} at once ({videos} videos, {args.n - videos} photos), "
          f"{args.concurrency} connections")
    print(f"accepted {len(task_ids)}, rejected {len(errors)}, finished {len(finished)}, "
          f"failed {failed}, unfinished {len(pending)}")
    print(f"all uploads answered in {upload_s:.1f} s; all tasks finished in {total:.1f} s")
    print(f"throughput: {len(finished) / total:.2f} tasks/s")
    if lat:
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        print(f"time to DONE: p50 {statistics.median(lat):.1f} s, p99 {p99:.1f} s")
    for tid in task_ids:
        client.delete(f"/v1/analysis/{tid}")
    if errors or pending or failed:
        print("errors:", errors[:5])
        raise SystemExit(1)


if __name__ == "__main__":
    main()
