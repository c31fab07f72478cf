"""The generated Python client and RoomStream against a live agent-chat server.

Run by PythonClientTest, which starts the server and a fault proxy and passes AGENT_CHAT_URL,
AGENT_CHAT_PROXY_URL, AGENT_CHAT_PASSWORD and AGENT_CHAT_HOST_KEY, with PYTHONPATH at the generated package folder.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

import agent_chat_client
from agent_chat_client import (AgentsApi, ApiClient, Error, GuideApi, JoinRequest, MessagesApi, NewMessage,
                               RoomApi, RoomsApi, SystemApi)
from agent_chat_client.exceptions import ApiException, ForbiddenException, NotFoundException, UnauthorizedException
from agent_chat_client.room import RoomStream, bearer_client, room_client

URL = os.environ["AGENT_CHAT_URL"]
PROXY_URL = os.environ["AGENT_CHAT_PROXY_URL"]
PASSWORD = os.environ["AGENT_CHAT_PASSWORD"]
HOST_KEY = os.environ["AGENT_CHAT_HOST_KEY"]

messages = MessagesApi(room_client(URL, PASSWORD))


def test_health_needs_no_password():
    assert SystemApi(room_client(URL, "not the password")).get_health().status == "ok"


def test_the_rooms_guide_is_read_as_text_without_password():
    guide = GuideApi(room_client(URL, "not the password")).get_room_guide()
    assert guide.startswith("---\n") and URL + "/mcp" in guide


def test_sent_message_is_listed_with_its_id_agent_text_and_timestamp():
    sent = messages.send_message(NewMessage(agent="py-planner", text="hello @coder"))
    assert sent.ok

    listed = messages.list_messages(after=sent.message.id - 1).messages

    assert [m.id for m in listed] == [sent.message.id]
    assert listed[0].agent == "py-planner"
    assert listed[0].text == "hello @coder"
    assert listed[0].mentions == ["coder"]
    assert listed[0].timestamp == sent.message.timestamp
    assert listed[0].timestamp.utcoffset().total_seconds() == 0


def test_long_poll_with_wait_wakes_when_a_message_is_posted():
    newest = messages.poll_messages(after=0).next
    with ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        poll = pool.submit(messages.poll_messages, after=newest, wait=30)
        time.sleep(0.5)  # nothing to wait for: proving the poll is still held
        assert not poll.done(), "the poll waits while nothing is new"

        sent = send("wake up")
        result = poll.result(timeout=5)

    assert time.monotonic() - started < 5, "woke on the post, long before the 30 s wait"
    assert [m.id for m in result.messages] == [sent.id]
    assert result.next == sent.id


def test_room_stream_delivers_live_messages_in_order():
    with Following(RoomStream(room_client(URL, PASSWORD), agent="py-follower")) as following:
        eventually(lambda: any(a.name == "py-follower" and a.online
                               for a in AgentsApi(room_client(URL, PASSWORD)).list_agents().agents))
        first, second = send("one"), send("two")

        eventually(lambda: len(following.received) >= 2)
        assert [m.id for m in following.received] == [first.id, second.id]
        assert following.stream.transport == "stream"


def test_room_stream_resumes_with_last_event_id_after_the_connection_is_cut():
    before = send("before the follower")
    streams_before = proxy_streams()
    stream = RoomStream(room_client(PROXY_URL, PASSWORD), after=before.id, min_backoff=0.05, max_backoff=0.2)
    with Following(stream) as following:
        first = send("first")
        eventually(lambda: len(following.received) == 1)

        proxy("down")
        missed_one, missed_two = send("sent while cut off"), send("also sent while cut off")
        proxy("up")

        eventually(lambda: len(following.received) >= 3, timeout=10)
        assert [m.id for m in following.received] == [first.id, missed_one.id, missed_two.id]
        assert proxy_streams() >= streams_before + 2, "it reconnected"


def test_wrong_password_raises_unauthorized_exception_with_status_401():
    wrong = MessagesApi(room_client(URL, "wrong"))

    with pytest.raises(UnauthorizedException) as raised:
        wrong.send_message(NewMessage(text="hi"))

    assert raised.value.status == 401
    assert json.loads(raised.value.body)["code"] == "invalid_password"


def test_room_stream_raises_unauthorized_exception_for_a_wrong_password():
    with pytest.raises(UnauthorizedException) as raised:
        next(iter(RoomStream(room_client(URL, "wrong"))))

    assert raised.value.status == 401


def test_the_streams_own_refusal_carries_the_typed_error_as_a_generated_call_does():
    with pytest.raises(UnauthorizedException) as raised:
        next(iter(RoomStream(room_client(URL, "wrong"), after=0)))  # no first read: the stream is refused

    assert isinstance(raised.value.data, Error), repr(raised.value.data)
    assert raised.value.data.code == "invalid_password"


def test_a_call_that_gets_no_answer_raises_api_exception_with_status_0_saying_which_call_and_why():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{unused.getsockname()[1]}"  # closed again below: nothing listens there

    with pytest.raises(ApiException) as raised:
        MessagesApi(room_client(nobody, PASSWORD)).list_messages(limit=1)

    assert raised.value.status == 0
    assert raised.value.reason == f"GET {nobody}/messages failed: Connection refused"


def test_room_stream_goes_through_the_proxy_of_its_configuration():
    # an address that resolves nowhere: only the configuration's proxy (the fault proxy, forwarding to the
    # server whatever the address) reaches the room
    configuration = room_client("http://agent-chat.invalid:8765", PASSWORD).configuration
    configuration.proxy = PROXY_URL
    streams_before = proxy_streams()
    with Following(RoomStream(ApiClient(configuration), min_backoff=0.05, max_backoff=0.2)) as following:
        eventually(lambda: proxy_streams() > streams_before)
        through = send("through the proxy")

        eventually(lambda: len(following.received) >= 1)
        assert [m.id for m in following.received] == [through.id]
        assert following.error is None


def test_the_host_creates_lists_and_ends_a_named_room_with_the_host_key():
    name = f"py-room-{time.time_ns()}"
    host = room_client(URL, "py-room-pw")
    host.configuration.access_token = HOST_KEY

    created = RoomsApi(host).create_room_with_http_info(name)
    again = RoomsApi(room_client(URL, "py-room-pw")).create_room_with_http_info(name)

    assert (created.status_code, created.data.created) == (201, True)
    assert (again.status_code, again.data.created) == (200, False), "the password of a room that exists is confirmed"
    inside = MessagesApi(room_client(f"{URL}/rooms/{name}", "py-room-pw"))
    assert inside.send_message(NewMessage(agent="py-host", text="in the new room")).message.id == 1

    assert name in [room.room for room in RoomsApi(host).list_rooms().rooms]
    assert RoomApi(bearer_client(f"{URL}/rooms/{name}", HOST_KEY)).end_room_with_http_info().status_code == 204
    with pytest.raises(NotFoundException) as gone:
        inside.send_message(NewMessage(agent="py-host", text="too late"))
    assert json.loads(gone.value.body)["code"] == "room_not_found"
    assert name not in [room.room for room in RoomsApi(host).list_rooms().rooms]


def test_a_names_token_posts_as_that_name_verified_with_no_password_and_no_agent():
    token = AgentsApi(room_client(URL, PASSWORD)).claim_name(JoinRequest(agent="py-verified")).token

    sent = MessagesApi(bearer_client(URL + "/", token)).send_message(NewMessage(text="posted with the token"))

    assert (sent.message.agent, sent.message.verified) == ("py-verified", True)
    with pytest.raises(UnauthorizedException):
        MessagesApi(bearer_client(URL, "not-a-token")).send_message(NewMessage(text="no"))


def test_room_stream_under_a_name_the_host_kicks_raises_forbidden_exception_kicked_reporting_no_loss_first():
    token = AgentsApi(room_client(URL, PASSWORD)).claim_name(JoinRequest(agent="py-kicked")).token
    states = []
    stream = RoomStream(bearer_client(URL, token), after=0, on_state=states.append)
    with Following(stream) as following:
        agents = AgentsApi(room_client(URL, PASSWORD))
        eventually(lambda: any(a.name == "py-kicked" and a.online for a in agents.list_agents().agents))
        AgentsApi(bearer_client(URL, HOST_KEY)).kick_agent("py-kicked")

        eventually(lambda: following.error is not None)
        assert isinstance(following.error, ForbiddenException), repr(following.error)
        assert following.error.status == 403
        why = json.loads(following.error.body)
        assert why["code"] == "kicked"
        assert isinstance(following.error.data, Error) and following.error.data.code == "kicked"
        assert why.get("blocked_until"), "says until when the name is blocked"
        assert states == [], "the stream said why it ended: no loss reported before the refusal"


# Last: it hides the stream on the shared proxy for good.
def test_room_stream_falls_back_to_long_poll_when_the_stream_is_not_available():
    proxy("hide-stream")
    stream = RoomStream(room_client(PROXY_URL, PASSWORD), poll_wait=2)
    with Following(stream) as following:
        eventually(lambda: stream.transport == "long-poll" and stream.last_id >= 0)
        live = send("live")

        eventually(lambda: len(following.received) >= 1)
        assert [m.id for m in following.received] == [live.id], "history skipped, live message delivered once"


# fixtures

class Following:
    """Iterates a RoomStream on a thread, collecting what it yields."""

    def __init__(self, stream):
        self.stream = stream
        self.received = []
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        try:
            for message in self.stream:
                self.received.append(message)
        except Exception as error:  # what stopped it, for the test to read
            self.error = error

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stream.close()
        self.thread.join(timeout=5)
        assert not self.thread.is_alive(), "close() ends the iteration"


def send(text):
    return messages.send_message(NewMessage(agent="py-sender", text=text)).message


def proxy(action):
    request = urllib.request.Request(f"{PROXY_URL}/__proxy/{action}", method="POST")
    with urllib.request.urlopen(request) as response:
        assert response.status == 204


def proxy_streams():
    with urllib.request.urlopen(f"{PROXY_URL}/__proxy/streams") as response:
        return int(response.read())


def eventually(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not true within {timeout} s"
        time.sleep(0.025)


def test_package_installs_with_pip_from_its_folder_offline(tmp_path):
    package_folder = os.path.dirname(os.path.dirname(os.path.abspath(agent_chat_client.__file__)))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps",
                    "--disable-pip-version-check", "--target", str(tmp_path), package_folder],
                   check=True, timeout=120)

    installed = subprocess.run([sys.executable, "-c", "import agent_chat_client, agent_chat_client.room as r; "
                                "print(agent_chat_client.__file__, r.RoomStream.__name__)"],
                               env={**os.environ, "PYTHONPATH": str(tmp_path)}, capture_output=True, text=True,
                               check=True)
    assert installed.stdout.startswith(str(tmp_path)), installed.stdout
    assert "RoomStream" in installed.stdout
