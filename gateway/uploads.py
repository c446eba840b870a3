"""Upload bodies: raw bytes or multipart/form-data (field "file"), decoded as a stream."""
from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from python_multipart.multipart import MultipartParser, parse_options_header

from scenelens.domain.errors import InvalidRequest, UploadStalled

FILE_FIELD = "file"


# RFC 5987 / 6266 extended parameter: filename*=charset'language'percent-encoded
_EXT_FILENAME = re.compile(rb"""(?:^|;)\s*filename\*\s*=\s*([^;]*)""", re.IGNORECASE)
_EXT_CHARSETS = {b"utf-8": "utf-8", b"iso-8859-1": "latin-1"}


def _text(raw: bytes, what: str) -> str:
    """Header bytes as text: UTF-8 (what curl and browsers send), else a clear 400."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidRequest(f"multipart {what} is not valid UTF-8") from None


def _ext_filename(disposition: bytes) -> str | None:
    """The RFC 5987 `filename*` value, decoded, or None when the header has none."""
    match = _EXT_FILENAME.search(disposition)
    if match is None:
        return None
    charset, sep1, rest = match.group(1).strip().partition(b"'")
    _lang, sep2, encoded = rest.partition(b"'")
    codec = _EXT_CHARSETS.get(charset.lower())
    if not (sep1 and sep2) or codec is None:
        raise InvalidRequest("multipart filename* must be UTF-8''<percent-encoded name>")
    try:
        return unquote_to_bytes(encoded).decode(codec)
    except UnicodeDecodeError:
        raise InvalidRequest("multipart filename* is not valid UTF-8") from None


@dataclass
class _Part:
    headers: dict[str, bytes] = field(default_factory=dict)
    name: str = ""
    filename: str = ""
    content_type: str = ""


class MultipartFile:
    """Push-parses a multipart body and yields the bytes of its "file" part, chunk by chunk."""

    def __init__(self, content_type: str) -> None:
        _, params = parse_options_header(content_type)
        boundary = params.get(b"boundary")
        if not boundary:
            raise InvalidRequest("multipart body without a boundary")
        self.filename = ""
        self.content_type = ""
        self.found = False
        self._part: _Part | None = None
        self._field = b""
        self._value = b""
        self._out: list[bytes] = []
        self._in_file = False
        self._finished = False
        self._parser = MultipartParser(boundary, callbacks={
            "on_part_begin": self._on_part_begin,
            "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value,
            "on_header_end": self._on_header_end,
            "on_headers_finished": self._on_headers_finished,
            "on_part_data": self._on_part_data,
            "on_part_end": self._on_part_end,
            "on_end": self._on_end,
        })

    def _on_part_begin(self) -> None:
        self._part = _Part()

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _on_header_end(self) -> None:
        assert self._part is not None
        # Kept as bytes: python-multipart reads str headers as latin-1 and fails on UTF-8 names.
        self._part.headers[self._field.decode("latin-1").lower()] = bytes(self._value)
        self._field = self._value = b""

    def _on_headers_finished(self) -> None:
        assert self._part is not None
        disposition = self._part.headers.get("content-disposition", b"")
        _, params = parse_options_header(disposition)
        self._part.name = _text(params.get(b"name", b""), "field name")
        self._part.content_type = _text(self._part.headers.get("content-type", b""),
                                        "content type")
        self._in_file = self._part.name == FILE_FIELD
        if self._in_file and self.found:
            raise InvalidRequest('multipart body has more than one "file" part; send one file')
        if self._in_file:
            extended = _ext_filename(disposition)
            self._part.filename = (
                extended if extended is not None
                else _text(params.get(b"filename", b""), "filename")
            )
            self.found = True
            self.filename = self._part.filename
            self.content_type = self._part.content_type

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self._out.append(bytes(data[start:end]))

    def _on_part_end(self) -> None:
        self._in_file = False

    def _on_end(self) -> None:
        self._finished = True

    def feed(self, chunk: bytes) -> bytes:
        try:
            self._parser.write(chunk)
        except InvalidRequest:
            raise
        except Exception as e:  # noqa: BLE001 - the parser raises several error types
            raise InvalidRequest(f"malformed multipart body: {e}") from None
        out = b"".join(self._out)
        self._out.clear()
        return out

    def close(self) -> None:
        try:
            self._parser.finalize()
        except Exception as e:  # noqa: BLE001
            raise InvalidRequest(f"malformed multipart body: {e}") from None
        if not self.found:
            raise InvalidRequest('multipart body has no "file" field')
        if not self._finished:
            raise InvalidRequest("multipart body ends before its closing boundary")


def is_multipart(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == "multipart/form-data"


@dataclass
class Upload:
    """The file inside a request body, as a stream, with what the body says about it."""

    chunks: AsyncIterator[bytes]
    content_type: str
    filename: str


async def _with_idle_timeout(body: AsyncIterator[bytes], seconds: float) -> AsyncIterator[bytes]:
    """The body, ended with UploadStalled when no chunk arrives for `seconds`."""
    while True:
        try:
            chunk = await asyncio.wait_for(anext(body), seconds)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise UploadStalled(f"upload stalled: no data received for {seconds:g} s") from None
        yield chunk


async def open_upload(
    content_type: str, body: AsyncIterator[bytes], filename: str,
    *, idle_timeout_s: float | None = None,
) -> Upload:
    """Unwrap multipart bodies; raw bodies pass through. Reads ahead only to the file's start."""
    if idle_timeout_s is not None:
        body = _with_idle_timeout(body, idle_timeout_s)
    if not is_multipart(content_type):
        return Upload(body, content_type, filename)
    parser = MultipartFile(content_type)
    pending: list[bytes] = []
    exhausted = False
    # Read until the file part's headers are known (its filename and content type).
    while not parser.found:
        try:
            chunk = await body.__anext__()
        except StopAsyncIteration:
            exhausted = True
            break
        data = parser.feed(chunk)
        if data:
            pending.append(data)
    if exhausted:
        parser.close()

    async def file_chunks() -> AsyncIterator[bytes]:
        for p in pending:
            yield p
        if not exhausted:
            async for chunk in body:
                data = parser.feed(chunk)
                if data:
                    yield data
            parser.close()

    return Upload(file_chunks(), parser.content_type or "application/octet-stream",
                  filename or parser.filename)
