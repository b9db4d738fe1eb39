"""ASGI middleware of the service: request-body size limit.

Written as plain ASGI middleware (not ``BaseHTTPMiddleware``) so that streamed responses
pass through untouched and the limit applies while the body is still arriving.
"""

from __future__ import annotations

from fastapi import HTTPException
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inclusion_kg.api.errors import PROBLEM_BASE, problem_response

__all__ = ["BodySizeLimit", "BodyTooLarge"]


class BodyTooLarge(HTTPException):
    """A request body went past ``IKG_MAX_UPLOAD_BYTES`` (HTTP 413).

    It is an ``HTTPException`` so that FastAPI's own body parsing lets it through and the
    problem-details handler answers it.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=_too_large_message(limit))
        self.limit = limit


def _too_large_message(limit: int) -> str:
    return (
        f"The request body is larger than this server accepts ({limit:,} bytes, "
        "IKG_MAX_UPLOAD_BYTES). Split the upload into smaller batches, or ask the operator "
        "to raise the limit."
    )


class BodySizeLimit:
    """Refuse request bodies larger than ``max_bytes`` with a 413 problem.

    A ``Content-Length`` over the limit is refused before the app runs; a chunked body is
    counted as it is read and cut off at the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app with a receive channel that counts body bytes."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = problem_response(
            request,
            413,
            _too_large_message(self.max_bytes),
            type_=PROBLEM_BASE + "too-large",
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
