"""S3 object store adapter (aioboto3): streamed uploads, downloads, prefix deletes, links."""
from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, Protocol

import aioboto3
from botocore.config import Config
from botocore.exceptions import ClientError

from scenelens.adapters.links import LinkSigner
from scenelens.observability import timed_s3
from scenelens.settings import Settings

log = logging.getLogger(__name__)

PART_SIZE = 8 * 1024 * 1024  # S3 multipart parts (>= 5 MiB, the S3 minimum)
DELETE_BATCH = 1000  # the S3 DeleteObjects limit


def input_key(task_id: object, safe_filename: str) -> str:
    return f"input-files/{task_id}/{safe_filename}"


def scene_image_key(task_id: object, segment_id: object) -> str:
    return f"scene-images/{task_id}/image_{segment_id}.jpg"


def result_key(task_id: object, segment_id: object) -> str:
    return f"recognition-results/{task_id}/{segment_id}_result.jpg"


def run_result_key(task_id: object, run_id: object, segment_id: object) -> str:
    """A re-analysis's annotated image (the first run keeps result_key)."""
    return f"recognition-results/{task_id}/runs/{run_id}/{segment_id}_result.jpg"


def task_prefixes(task_id: object) -> list[str]:
    return [f"input-files/{task_id}/", f"scene-images/{task_id}/", f"recognition-results/{task_id}/"]


class ObjectStore(Protocol):
    """What the services need from object storage."""

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None: ...
    async def get_bytes(self, key: str) -> bytes: ...
    async def download_file(self, key: str, path: str) -> None: ...
    async def upload_stream(
        self, key: str, chunks: AsyncIterator[bytes], content_type: str
    ) -> int: ...
    async def delete_prefix(self, prefix: str) -> int: ...
    async def delete(self, key: str) -> None: ...
    async def list_keys(self, prefix: str) -> list[str]: ...
    async def list_children(self, prefix: str) -> list[str]: ...
    async def newest(self, prefix: str) -> datetime | None: ...
    async def open_uploads(self, prefix: str) -> list[tuple[str, str, datetime]]: ...
    async def abort_upload(self, key: str, upload_id: str) -> None: ...
    async def presign_get(self, key: str, ttl_s: int) -> str: ...


class ObjectMissing(Exception):
    """The object does not exist."""


class S3Store:
    """ObjectStore on S3 (MinIO, SeaweedFS, AWS); one client per process."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._bucket = settings.s3_bucket
        self._session = aioboto3.Session()
        self._stack: contextlib.AsyncExitStack | None = None
        self._client: Any = None
        # Links are signed for the endpoint clients reach (differs inside containers).
        self._links = LinkSigner(settings.s3_link_endpoint, settings.s3_bucket,
                                 settings.s3_access_key, settings.s3_secret_key,
                                 settings.s3_region)

    def _kwargs(self, endpoint: str) -> dict[str, Any]:
        return {
            "endpoint_url": endpoint,
            "aws_access_key_id": self._settings.s3_access_key,
            "aws_secret_access_key": self._settings.s3_secret_key,
            "region_name": self._settings.s3_region,
            "config": Config(
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                retries={"max_attempts": 5, "mode": "standard"},
                connect_timeout=5,
                read_timeout=60,
                max_pool_connections=32,
            ),
        }

    async def start(self) -> None:
        self._stack = contextlib.AsyncExitStack()
        self._client = await self._stack.enter_async_context(
            self._session.client("s3", **self._kwargs(self._settings.s3_endpoint))
        )

    async def close(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
            self._stack = None

    async def ensure_bucket(self) -> None:
        try:
            await self._client.head_bucket(Bucket=self._bucket)
        except ClientError:
            with contextlib.suppress(ClientError):
                await self._client.create_bucket(Bucket=self._bucket)
            await self._client.head_bucket(Bucket=self._bucket)

    async def ping(self) -> bool:
        try:
            await self._client.head_bucket(Bucket=self._bucket)
            return True
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            return False

    @timed_s3("put_bytes")
    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        await self._client.put_object(
            Bucket=self._bucket, Key=key, Body=data, ContentType=content_type
        )

    async def _body(self, key: str) -> Any:
        """The object's streaming body; ObjectMissing when there is no such key."""
        try:
            resp = await self._client.get_object(Bucket=self._bucket, Key=key)
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise ObjectMissing(key) from None
            raise
        return resp["Body"]

    @timed_s3("get_bytes")
    async def get_bytes(self, key: str) -> bytes:
        async with await self._body(key) as body:
            return bytes(await body.read())

    @timed_s3("download_file")
    async def download_file(self, key: str, path: str) -> None:
        """Stream an object to a local file without holding it in memory."""
        body = await self._body(key)
        with open(path, "wb") as f:
            async with body:
                while chunk := await body.read(1024 * 1024):
                    f.write(chunk)

    async def upload_stream(
        self, key: str, chunks: AsyncIterator[bytes], content_type: str
    ) -> int:
        """Upload an async stream of chunks with memory bounded by one part; returns the size."""
        buf = bytearray()
        total = 0
        upload_id: str | None = None
        parts: list[dict[str, Any]] = []
        try:
            async for chunk in chunks:
                buf += chunk
                total += len(chunk)
                while len(buf) >= PART_SIZE:
                    if upload_id is None:
                        created = await self._client.create_multipart_upload(
                            Bucket=self._bucket, Key=key, ContentType=content_type
                        )
                        upload_id = created["UploadId"]
                    part = bytes(buf[:PART_SIZE])
                    del buf[:PART_SIZE]
                    n = len(parts) + 1
                    resp = await self._client.upload_part(
                        Bucket=self._bucket, Key=key, UploadId=upload_id, PartNumber=n, Body=part
                    )
                    parts.append({"ETag": resp["ETag"], "PartNumber": n})
            if upload_id is None:
                await self.put_bytes(key, bytes(buf), content_type)
                return total
            if buf or not parts:
                n = len(parts) + 1
                resp = await self._client.upload_part(
                    Bucket=self._bucket, Key=key, UploadId=upload_id, PartNumber=n, Body=bytes(buf)
                )
                parts.append({"ETag": resp["ETag"], "PartNumber": n})
            await self._client.complete_multipart_upload(
                Bucket=self._bucket, Key=key, UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )
            return total
        except BaseException:
            if upload_id is not None:
                with contextlib.suppress(Exception):
                    await self._client.abort_multipart_upload(
                        Bucket=self._bucket, Key=key, UploadId=upload_id
                    )
            raise

    @timed_s3("list_keys")
    async def list_keys(self, prefix: str) -> list[str]:
        keys: list[str] = []
        paginator = self._client.get_paginator("list_objects_v2")
        async for page in paginator.paginate(Bucket=self._bucket, Prefix=prefix):
            keys.extend(obj["Key"] for obj in page.get("Contents", []) or [])
        return keys

    @timed_s3("delete")
    async def delete(self, key: str) -> None:
        await self._client.delete_object(Bucket=self._bucket, Key=key)

    async def list_children(self, prefix: str) -> list[str]:
        """The next path segment of every key under prefix ('input-files/' -> task ids)."""
        children: list[str] = []
        paginator = self._client.get_paginator("list_objects_v2")
        async for page in paginator.paginate(Bucket=self._bucket, Prefix=prefix, Delimiter="/"):
            for common in page.get("CommonPrefixes", []) or []:
                children.append(common["Prefix"][len(prefix):].rstrip("/"))
        return children

    async def newest(self, prefix: str) -> datetime | None:
        """When the newest object under prefix was written; None when there is none."""
        newest: datetime | None = None
        paginator = self._client.get_paginator("list_objects_v2")
        async for page in paginator.paginate(Bucket=self._bucket, Prefix=prefix):
            for obj in page.get("Contents", []) or []:
                if newest is None or obj["LastModified"] > newest:
                    newest = obj["LastModified"]
        return newest

    async def open_uploads(self, prefix: str) -> list[tuple[str, str, datetime]]:
        """(key, upload id, when it began) of every multipart upload under prefix that was
        neither completed nor aborted (its parts are stored but no object lists them)."""
        found: list[tuple[str, str, datetime]] = []
        paginator = self._client.get_paginator("list_multipart_uploads")
        async for page in paginator.paginate(Bucket=self._bucket, Prefix=prefix):
            for upload in page.get("Uploads", []) or []:
                found.append((upload["Key"], upload["UploadId"], upload["Initiated"]))
        return found

    async def abort_upload(self, key: str, upload_id: str) -> None:
        with contextlib.suppress(ClientError):  # already completed or aborted
            await self._client.abort_multipart_upload(
                Bucket=self._bucket, Key=key, UploadId=upload_id)

    @timed_s3("delete_prefix")
    async def delete_prefix(self, prefix: str) -> int:
        """Delete every object under prefix, listing page by page, in batches of 1000."""
        deleted = 0
        paginator = self._client.get_paginator("list_objects_v2")
        async for page in paginator.paginate(
            Bucket=self._bucket, Prefix=prefix, PaginationConfig={"PageSize": DELETE_BATCH}
        ):
            keys = [{"Key": obj["Key"]} for obj in page.get("Contents", []) or []]
            for i in range(0, len(keys), DELETE_BATCH):
                batch = keys[i : i + DELETE_BATCH]
                resp = await self._client.delete_objects(
                    Bucket=self._bucket, Delete={"Objects": batch, "Quiet": True}
                )
                errors = resp.get("Errors") or []
                if errors:
                    raise RuntimeError(f"S3 refused to delete {len(errors)} objects: {errors[:3]}")
                deleted += len(batch)
        return deleted

    async def presign_get(self, key: str, ttl_s: int) -> str:
        return self._links.url(key, ttl_s)
