"""Follows a room with RoomStream for the follow conformance suites (FollowConformance,
LiveStartConformance and ReachedBeforeConformance, through ScriptFollower): the room and timeouts come
from the environment, FOLLOW_AFTER says where to start (default 0, -1 live), or FOLLOW_AFTER_MESSAGE
after which message (its JSON, given as the message itself), and FOLLOW_REACHED_BEFORE=true that the
room was reached before; each message, notice and the error that
stops it is one tab-separated line on stdout."""

import os
import sys

from agent_chat_client.exceptions import ApiException
from agent_chat_client.models.message import Message
from agent_chat_client.room import RoomStream, room_client


def seconds(name: str) -> float:
    return int(os.environ[name]) / 1000


def say(kind: str, text: str) -> None:
    print(f"{kind}\t{text}", flush=True)


stream = RoomStream(
    room_client(os.environ["AGENT_CHAT_URL"], os.environ["AGENT_CHAT_PASSWORD"]),
    after=(Message.from_json(os.environ["FOLLOW_AFTER_MESSAGE"]) if "FOLLOW_AFTER_MESSAGE" in os.environ
           else int(os.environ.get("FOLLOW_AFTER", "0"))), min_backoff=0.1, max_backoff=1.0,
    reached_before=os.environ.get("FOLLOW_REACHED_BEFORE") == "true",
    silence_timeout=seconds("FOLLOW_SILENCE_MS"), open_timeout=seconds("FOLLOW_OPEN_TIMEOUT_MS"),
    stream_retry=seconds("FOLLOW_STREAM_RETRY_MS"),
    on_state=lambda state: say("notice", state), on_restart=lambda: say("notice", "restarted"),
    on_truncated=lambda requested, oldest: say("notice", f"truncated {requested} {oldest}"))
try:
    for message in stream:
        say("message", message.text)
except ApiException as error:
    say("error", f"{error.status} {error.reason}")
    sys.exit(1)
