"""Hand-written helpers beside the generated agent_chat_client: point a client at a room, and
follow the room with Server-Sent Events (Last-Event-ID resume, reconnect with backoff, long-poll
fallback). The generator cannot stream SSE, hence this module.

    client = room_client("http://localhost:8765", "secret")  # or bearer_client(url, a name's token)
    for message in RoomStream(client, agent="me"):
        print(message.agent, message.text)
"""

from __future__ import annotations

import json
import threading
import time
from typing import Callable, Generator, Iterator, Optional, Union
from urllib.parse import quote, urlencode

import urllib3

from agent_chat_client.api.messages_api import MessagesApi
from agent_chat_client.api_client import ApiClient
from agent_chat_client.configuration import Configuration
from agent_chat_client.exceptions import ApiException, ForbiddenException, NotFoundException
from agent_chat_client.models.error import Error
from agent_chat_client.models.message import Message
from agent_chat_client.rest import RESTClientObject

PASSWORD_HEADER = "X-Room-Password"

# Stream answers that are a loss to retry (busy, restarting), not a sign that the stream is unavailable.
_RETRY_LATER = {429, 503}

# What a request would raise for each reason an end event gives (events=end): the stream ended for good.
_ENDED_WITH = {"room_not_found": (NotFoundException, 404, "Not Found"),
               "kicked": (ForbiddenException, 403, "Forbidden")}


def room_client(base_url: str, password: str) -> ApiClient:
    """A generated ApiClient for the room at base_url that sends the password as the
    X-Room-Password header (security scheme roomPassword), never in the URL, as password_header
    writes it."""
    configuration = Configuration(host=base_url.rstrip("/"), api_key={"roomPassword": password_header(password)})
    return _api_client(configuration)


def bearer_client(base_url: str, bearer: str) -> ApiClient:
    """A generated ApiClient for the room at base_url that sends bearer as Authorization: Bearer:
    a name's token (AgentsApi.claim_name), which posts and follows as that name's holder with no
    password, or the host key (at the server's URL: RoomsApi, which lists and ends rooms; at a
    room's: RoomApi.end_room, the agents' kick and mute)."""
    return _api_client(Configuration(host=base_url.rstrip("/"), access_token=bearer))


def _api_client(configuration: Configuration) -> ApiClient:
    """The generated ApiClient, whose calls that get no answer say which and why (_SaysWhyUnanswered)."""
    client = ApiClient(configuration)
    client.rest_client = _SaysWhyUnanswered(configuration)
    return client


class _SaysWhyUnanswered(RESTClientObject):
    """The generated REST client, but a call that gets no answer (the server is down, the address is
    wrong) raises ApiException with status 0 whose reason says which call and why,
    "POST http://localhost:8765/messages failed: Connection refused", not urllib3's MaxRetryError."""

    def request(self, method, url, *args, **kwargs):
        try:
            return super().request(method, url, *args, **kwargs)
        except urllib3.exceptions.HTTPError as error:
            raise ApiException(status=0, reason=f"{method} {url.split('?')[0]} failed: {_why(error)}") from error


def password_header(password: str) -> str:
    """The password as X-Room-Password carries it. Python's HTTP stack writes headers as Latin-1
    (failing for a password such as "密码"), so a password that is not printable ASCII (or that looks
    encoded already) goes as RFC 8187 writes it, UTF-8'' and its UTF-8 bytes percent-encoded, which
    the server reads back."""
    if all(" " <= c <= "~" for c in password) and password[:7].upper() != "UTF-8''":
        return password
    return "UTF-8''" + quote(password, safe="")


class RoomStream:
    """Iterating yields the room's messages, in id order, each once, until close().

    It follows /messages/stream as docs/following.md describes and, after any loss, reconnects with
    exponential backoff sending Last-Event-ID, so nothing the room still keeps is lost and nothing is
    doubled (on_truncated tells what it dropped meanwhile). A stream that sends
    nothing, not even a keepalive, for silence_timeout seconds is a loss too. When the stream is not
    available on the way to the server (an answer that is not an event stream, or no first line within
    open_timeout) it long-polls pollMessages with wait instead, and tries the stream again every
    stream_retry seconds. Before resuming after a loss (and before the first connection, when it starts
    from a message it was given) it checks the message at its cursor, so a server restarted behind the
    same address is followed from its new beginning (on_restart is called).
    A refused password raises the generated UnauthorizedException (status 401), a kicked name the
    ForbiddenException (403 kicked), a room that is gone (404 with the code room_not_found) the
    generated NotFoundException. A stream that ends for good says why (events=end): it raises the
    same, with no "reconnecting" first.

    after: replay retained messages with an id above this first (0: the whole history);
    the default -1 follows live only, from the room's newest message when iteration starts. Given the
    message itself (the last one the caller saw), its timestamp tells a server restarted behind the
    same address, whose new room has as many messages already, from the same room: checked before the
    first connection and after every loss.
    reached_before: the caller has reached the room already (read its history, claimed a name): a
    loss before the stream's first connection (the server stopped meanwhile) is reported like any
    later one, not taken for a follower still starting. It does not change what stops following.
    on_state: called with "reconnecting" when the connection is lost (once per outage; before the
    first connection only for a busy or full server, 429/503, or with reached_before) and
    "connected" when it works again.
    on_truncated: called with (requested, oldest) when messages after requested were dropped from the
    room's history before they could be replayed; following goes on from oldest, the oldest message
    the room still has.
    """

    def __init__(self, client: ApiClient, after: Union[int, Message] = -1, agent: Optional[str] = None,
                 for_name: Optional[str] = None, min_backoff: float = 0.25, max_backoff: float = 15.0,
                 poll_wait: float = 25.0, silence_timeout: float = 45.0, open_timeout: float = 10.0,
                 stream_retry: float = 30.0, on_state: Optional[Callable[[str], None]] = None,
                 on_restart: Optional[Callable[[], None]] = None, reached_before: bool = False,
                 on_truncated: Optional[Callable[[int, int], None]] = None) -> None:
        self.client = client
        self.last_id = after.id if isinstance(after, Message) else after
        self.agent = agent
        self.for_name = for_name
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.poll_wait = poll_wait
        self.silence_timeout = silence_timeout
        self.open_timeout = open_timeout
        self.stream_retry = stream_retry
        self.on_state = on_state
        self.on_restart = on_restart
        self.on_truncated = on_truncated
        self.reached_before = reached_before
        self.transport = "stream"
        self._last_timestamp = after.timestamp if isinstance(after, Message) else None
        self._connected_once = False
        self._outage = False
        # given the message itself, a server restarted since the caller read it is told before the first connection
        self._check_cursor = self._last_timestamp is not None
        self._next_stream_try = 0.0
        self._closed = threading.Event()
        self._response: Optional[urllib3.BaseHTTPResponse] = None
        # the generated client's own pool: the configuration's proxy, certificates and TLS settings apply to the stream
        self._http = client.rest_client.pool_manager

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
                if self.last_id < 0:
                    self._start_live()
                if self._check_cursor:
                    self._check_cursor = False
                    self._check_for_restart()
                if self.transport == "stream":
                    opened = yield from self._follow()
                    if opened:
                        backoff = self.min_backoff
                    if self.transport == "stream" and not self.closed:
                        backoff = self._pause(backoff)  # the connection ended: reconnect, resuming
                else:
                    yield from self._poll()
                    backoff = self.min_backoff
            except ApiException as error:
                if self.closed:
                    return
                if _stops(error):
                    raise
                self._lost(answered=error.status != 0)
                backoff = self._pause(backoff)
            except (urllib3.exceptions.HTTPError, OSError, ValueError):
                if self.closed:
                    return
                self._lost()
                backoff = self._pause(backoff)

    def _follow(self) -> Generator[Message, None, bool]:
        """One stream connection until it ends or stays silent; returns whether it opened."""
        headers = {"Accept": "text/event-stream"}
        for auth in self.client.configuration.auth_settings().values():
            if auth["in"] == "header":
                headers[auth["key"]] = auth["value"]
        headers["Last-Event-ID"] = str(self.last_id)
        try:
            response = self._http.request(
                "GET", self._stream_url(), headers=headers, preload_content=False, retries=False,
                timeout=urllib3.Timeout(connect=10.0, read=self.open_timeout))
        except urllib3.exceptions.ReadTimeoutError:
            self._unavailable()  # the answer did not even come: something holds the stream back
            return False
        self._response = response
        opened = False
        try:
            content_type = response.headers.get("Content-Type", "")
            if response.status in (401, 403, 404) or response.status in _RETRY_LATER:
                body = response.read().decode("utf-8", "replace")
                if response.status != 404 or _room_gone(body):
                    raise ApiException.from_response(http_resp=response, body=body, data=_error(body))
            if response.status != 200 or not content_type.startswith("text/event-stream"):
                self._unavailable()
                return False
            try:
                for event in _sse_events(response):
                    if not opened:
                        opened = True
                        self._connected()
                        _set_read_timeout(response, self.silence_timeout)
                    if event is None:
                        continue
                    event_type, data = event
                    if event_type == "message":
                        message = Message.from_dict(json.loads(data))
                        if self._is_new(message):
                            yield message
                    elif event_type == "truncated":
                        if self.on_truncated:
                            dropped = json.loads(data)
                            self.on_truncated(dropped["requested"], dropped["oldest"])
                    elif event_type == "end":
                        refusal = _ended_for(data)
                        if refusal is not None:
                            raise refusal  # the stream said why it ended for good: stop, with no loss reported
                        break  # a reason not known here: the stream ends, a loss
            except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
                if self.closed:
                    return opened
                if not opened:
                    self._unavailable()
                    return False
            if not self.closed:
                self._lost()
            return opened
        finally:
            self._response = None
            response.release_conn()

    def _poll(self) -> Iterator[Message]:
        if time.monotonic() >= self._next_stream_try:
            self.transport = "stream"
            try:
                opened = yield from self._follow()
                if opened or self.closed:
                    return
            except ApiException as error:
                if _stops(error):
                    raise
            except (urllib3.exceptions.HTTPError, OSError, ValueError):
                pass  # the retry failed: keep polling, the poll notices a real loss
            self._unavailable()
        messages = MessagesApi(self.client)
        wait = max(0.1, min(self.poll_wait, self._next_stream_try - time.monotonic()))
        result = messages.poll_messages(after=self.last_id, wait=round(wait, 3), agent=self.agent,
                                        var_for=self.for_name, _request_timeout=wait + 15.0)
        self._connected()
        if result.next < self.last_id:
            self._restart()  # the room has fewer messages than we saw: it answered with everything it has
        for message in result.messages:
            if self._is_new(message):
                yield message

    def _start_live(self) -> None:
        """Started live: following starts after the room's newest message, as a resume point. Without
        one, a first connection lost before any message would reconnect live again and miss what was
        posted in between."""
        newest = MessagesApi(self.client).list_messages(limit=1, _request_timeout=10.0).messages
        self.last_id = newest[0].id if newest else 0
        self._last_timestamp = newest[0].timestamp if newest else None

    def _unavailable(self) -> None:
        """The stream is not available on this path: long-poll, and try it again later."""
        self.transport = "long-poll"
        self._next_stream_try = time.monotonic() + self.stream_retry

    def _check_for_restart(self) -> None:
        """Before resuming after a loss, or before the first connection from a message given as the
        cursor: is the message at the cursor still the one seen? A server restarted behind the same
        address has another one under that id, or fewer messages."""
        cursor = self.last_id
        if cursor <= 0:
            return
        try:
            around = MessagesApi(self.client).list_messages(after=cursor - 1, limit=1,
                                                            _request_timeout=10.0).messages
        except ApiException as error:
            if _stops(error):
                raise
            self._check_cursor = True
            return
        except (urllib3.exceptions.HTTPError, OSError, ValueError):
            self._check_cursor = True  # still unreachable: check again before the next attempt
            return
        seen = self._last_timestamp
        replaced = bool(around) and around[0].id == cursor and seen is not None and around[0].timestamp != seen
        if not around or replaced:
            self._restart()

    def _restart(self) -> None:
        self.last_id = 0
        self._last_timestamp = None
        if self.on_restart:
            self.on_restart()

    def _connected(self) -> None:
        self._connected_once = True
        if self._outage:
            self._outage = False
            if self.on_state:
                self.on_state("connected")

    def _lost(self, answered: bool = False) -> None:
        """A loss, reported once per outage; before the first connection only when the server
        answered (busy or full, 429/503) or the caller had reached it (reached_before): a follower
        that never connected is otherwise still starting."""
        self._check_cursor = True
        if (self._connected_once or self.reached_before or answered) and not self._outage:
            self._outage = True
            if self.on_state:
                self.on_state("reconnecting")

    def _is_new(self, message: Message) -> bool:
        if message.id <= self.last_id or self.closed:
            return False
        self.last_id = message.id
        self._last_timestamp = message.timestamp
        return True

    def _stream_url(self) -> str:
        """The stream's URL with the agent / for filters, asking why a stream ends for good (events=end)."""
        query = {k: v for k, v in (("agent", self.agent), ("for", self.for_name)) if v}
        query["events"] = "end"
        return self.client.configuration.host + "/messages/stream?" + urlencode(query)

    def _pause(self, backoff: float) -> float:
        self._closed.wait(backoff)
        return min(backoff * 2, self.max_backoff)


def _stops(error: ApiException) -> bool:
    """Whether an error ends following, since no retry mends it: a refused password (401/403), or a
    room that is gone (404 with the code room_not_found)."""
    return error.status in (401, 403) or (error.status == 404 and _room_gone(error.body))


def _ended_for(data: str) -> Optional[ApiException]:
    """The error an end event stands for, as the next request would raise it (the event's data is
    that request's body), or None for a reason this follower does not know: then it is a loss."""
    try:
        code = json.loads(data).get("code")
    except (ValueError, AttributeError):
        return None
    ended = _ENDED_WITH.get(code) if isinstance(code, str) else None
    if ended is None:
        return None
    exception, status, reason = ended
    return exception(status=status, reason=reason, body=data, data=_error(data))


def _error(body: Optional[str]) -> Optional[Error]:
    """The server's JSON error as the generated calls give it (an exception's data), or None for a body
    that is not one (a proxy's page)."""
    try:
        return Error.from_json(body or "")
    except ValueError:
        return None


def _why(error: BaseException) -> str:
    """What the innermost cause of a failure says ("Connection refused" under urllib3's retries)."""
    while True:
        deeper = getattr(error, "reason", None)  # MaxRetryError: what the last attempt met
        deeper = deeper if isinstance(deeper, BaseException) else error.__cause__
        if deeper is None:
            break
        error = deeper
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _room_gone(body: Optional[str]) -> bool:
    """Whether a 404's body says the room is gone; without the code room_not_found it is a path the
    way to the server does not know (a proxy that does not pass the stream)."""
    try:
        return json.loads(body or "").get("code") == "room_not_found"
    except (ValueError, AttributeError):
        return False  # not the server's JSON: a proxy's page


def _set_read_timeout(response: urllib3.BaseHTTPResponse, seconds: float) -> None:
    """From the first line on, the stream may be silent for the silence timeout, not the open timeout."""
    connection = getattr(response, "connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        sock.settimeout(seconds)


def _sse_events(response: urllib3.BaseHTTPResponse) -> Iterator[Optional[tuple[str, str]]]:
    """Splits a text/event-stream body into (event type, data) pairs; yields None for every chunk
    read (comments, keepalives) so a reader can tell a silent stream."""
    buffer = b""
    event_type, data = "message", None
    while True:
        chunk = response.read1(8192)
        if not chunk:
            return
        buffer += chunk
        yield None
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
