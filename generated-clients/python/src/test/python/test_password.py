"""A room password beyond ASCII from the Python client.

Run by PythonClientTest, which starts a server whose password is PASSWORD (written here, not passed
through the environment) and passes AGENT_CHAT_URL, with PYTHONPATH at the generated package folder.
"""

import os

import pytest

from agent_chat_client import MessagesApi, NewMessage
from agent_chat_client.exceptions import UnauthorizedException
from agent_chat_client.room import RoomStream, password_header, room_client

PASSWORD = "Schlüssel-密码"
URL = os.environ["AGENT_CHAT_URL"]


def test_password_header_writes_a_password_beyond_ascii_or_one_that_looks_encoded_as_rfc_8187_does():
    assert password_header("correct horse") == "correct horse"
    assert password_header(PASSWORD) == "UTF-8''Schl%C3%BCssel-%E5%AF%86%E7%A0%81"
    assert password_header("utf-8''a b") == "UTF-8''utf-8%27%27a%20b"


def test_a_password_beyond_ascii_posts_and_room_stream_streams_what_was_posted():
    sent = MessagesApi(room_client(URL, PASSWORD)).send_message(NewMessage(agent="jürgen", text="grüß dich")).message

    with RoomStream(room_client(URL, PASSWORD), after=sent.id - 1) as stream:
        received = next(iter(stream))
        assert stream.transport == "stream"

    assert (received.id, received.agent, received.text) == (sent.id, "jürgen", "grüß dich")


def test_a_wrong_password_beyond_ascii_is_refused():
    wrong = room_client(URL, "Schlussel-密码")

    with pytest.raises(UnauthorizedException):
        MessagesApi(wrong).send_message(NewMessage(agent="jürgen", text="no"))
    with pytest.raises(UnauthorizedException):
        next(iter(RoomStream(wrong, after=0)))
