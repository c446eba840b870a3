"""Upload bodies: raw bytes or multipart/form-data (field "file"), decoded as a stream."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header

from scenelens.domain.errors import InvalidRequest

FILE_FIELD = "file"


@dataclass
class _Part:
    headers: dict[str, str] = field(default_factory=dict)
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
        self._part.headers[self._field.decode("latin-1").lower()] = self._value.decode(
            "utf-8", "replace"
        )
        self._field = self._value = b""

    def _on_headers_finished(self) -> None:
        assert self._part is not None
        _, params = parse_options_header(self._part.headers.get("content-disposition", ""))
        self._part.name = params.get(b"name", b"").decode("utf-8", "replace")
        self._part.filename = params.get(b"filename", b"").decode("utf-8", "replace")
        self._part.content_type = self._part.headers.get("content-type", "")
        self._in_file = self._part.name == FILE_FIELD and not self.found
        if self._in_file:
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


async def open_upload(
    content_type: str, body: AsyncIterator[bytes], filename: str
) -> Upload:
    """Unwrap multipart bodies; raw bodies pass through. Reads ahead only to the file's start."""
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
