"""Hand-written helpers beside the generated agent_chat_client: point a client at a room, and
follow the room with Server-Sent Events (Last-Event-ID resume, reconnect with backoff, long-poll
fallback). The generator cannot stream SSE, hence this module.

    client = room_client("http://localhost:8765", "secret")
    for message in RoomStream(client, agent="me"):
        print(message.agent, message.text)
"""

from __future__ import annotations

import json
import threading
from typing import Iterator, Optional
from urllib.parse import urlencode

import urllib3

from agent_chat_client.api.messages_api import MessagesApi
from agent_chat_client.api_client import ApiClient
from agent_chat_client.configuration import Configuration
from agent_chat_client.exceptions import ApiException
from agent_chat_client.models.message import Message

PASSWORD_HEADER = "X-Room-Password"

# Stream answers meaning "no SSE on this path": fall back to long-poll instead of retrying.
_NO_STREAM_HERE = {404, 405, 406, 501}


def room_client(base_url: str, password: str) -> ApiClient:
    """A generated ApiClient for the room at base_url that sends the password as the
    X-Room-Password header (security scheme roomPassword), never in the URL."""
    configuration = Configuration(host=base_url.rstrip("/"), api_key={"roomPassword": password})
    return ApiClient(configuration)


class RoomStream:
    """Iterating yields the room's messages, in id order, each once, until close().

    It follows /messages/stream and, after any disconnect, reconnects with exponential backoff
    sending Last-Event-ID, so nothing is lost or doubled. When the stream is not available on the
    way to the server (404/405/406/501, or not text/event-stream) it long-polls pollMessages with
    wait instead. A refused password raises the generated UnauthorizedException (status 401).

    after: replay retained messages with an id above this first (0: the whole history);
    the default -1 follows live only.
    """

    def __init__(self, client: ApiClient, after: int = -1, agent: Optional[str] = None,
                 for_name: Optional[str] = None, min_backoff: float = 0.25, max_backoff: float = 15.0,
                 poll_wait: float = 25.0, read_timeout: float = 45.0) -> None:
        self.client = client
        self.last_id = after
        self.agent = agent
        self.for_name = for_name
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.poll_wait = poll_wait
        self.read_timeout = read_timeout
        self.transport = "stream"
        self._closed = threading.Event()
        self._response: Optional[urllib3.BaseHTTPResponse] = None
        self._http = urllib3.PoolManager()

    def close(self) -> None:
        """Stops the iteration (also from another thread) and closes the open stream connection.
        A long-poll in progress (fallback mode) ends first: at most poll_wait seconds."""
        self._closed.set()
        response = self._response
        if response is not None:
            try:
                response.shutdown()
            except Exception:  # already closed: nothing to stop
                pass

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def __enter__(self) -> "RoomStream":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Message]:
        backoff = self.min_backoff
        while not self.closed:
            try:
                if self.transport == "stream":
                    yield from self._follow()
                    if self.transport == "stream":
                        self._closed.wait(self.min_backoff)  # the connection ended: reconnect
                else:
                    yield from self._poll()
                backoff = self.min_backoff
            except ApiException as error:
                if error.status in (401, 403) or self.closed:
                    if self.closed:
                        return
                    raise
                backoff = self._pause(backoff)
            except (urllib3.exceptions.HTTPError, OSError, ValueError):
                if self.closed:
                    return
                backoff = self._pause(backoff)

    def _follow(self) -> Iterator[Message]:
        headers = {"Accept": "text/event-stream"}
        for auth in self.client.configuration.auth_settings().values():
            if auth["in"] == "header":
                headers[auth["key"]] = auth["value"]
        if self.last_id >= 0:
            headers["Last-Event-ID"] = str(self.last_id)
        response = self._http.request(
            "GET", self._stream_url(), headers=headers, preload_content=False, retries=False,
            timeout=urllib3.Timeout(connect=10.0, read=self.read_timeout))
        self._response = response
        try:
            content_type = response.headers.get("Content-Type", "")
            if response.status in _NO_STREAM_HERE or (
                    response.status == 200 and not content_type.startswith("text/event-stream")):
                self.transport = "long-poll"
                return
            if response.status != 200:
                raise ApiException.from_response(
                    http_resp=response, body=response.read().decode("utf-8", "replace"), data=None)
            for event_type, data in _sse_events(response):
                if event_type == "message":
                    message = Message.from_dict(json.loads(data))
                    if self._is_new(message):
                        yield message
        finally:
            self._response = None
            response.release_conn()

    def _poll(self) -> Iterator[Message]:
        messages = MessagesApi(self.client)
        if self.last_id < 0:
            # Started live: skip what is already retained.
            self.last_id = messages.poll_messages(after=0, agent=self.agent, var_for=self.for_name).next
        result = messages.poll_messages(after=self.last_id, wait=self.poll_wait, agent=self.agent,
                                        var_for=self.for_name, _request_timeout=self.poll_wait + 15.0)
        for message in result.messages:
            if self._is_new(message):
                yield message
        if result.next < self.last_id:
            self.last_id = result.next  # the room restarted: follow its new numbering

    def _is_new(self, message: Message) -> bool:
        if message.id <= self.last_id or self.closed:
            return False
        self.last_id = message.id
        return True

    def _stream_url(self) -> str:
        query = {k: v for k, v in (("agent", self.agent), ("for", self.for_name)) if v}
        return self.client.configuration.host + "/messages/stream" + ("?" + urlencode(query) if query else "")

    def _pause(self, backoff: float) -> float:
        self._closed.wait(backoff)
        return min(backoff * 2, self.max_backoff)


def _sse_events(response: urllib3.BaseHTTPResponse) -> Iterator[tuple[str, str]]:
    """Splits a text/event-stream body into (event type, data) pairs; comments are skipped."""
    buffer = b""
    event_type, data = "message", None
    while True:
        chunk = response.read1(8192)
        if not chunk:
            return
        buffer += chunk
        while True:
            line, sep, rest = buffer.partition(b"\n")
            if not sep:
                break
            buffer = rest
            text = line.rstrip(b"\r").decode("utf-8")
            if text == "":
                if data is not None:
                    yield event_type, data
                event_type, data = "message", None
            elif text.startswith(":"):
                continue
            else:
                field, _, value = text.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if field == "event":
                    event_type = value
                elif field == "data":
                    data = value if data is None else data + "\n" + value
