// A room password beyond ASCII from the TypeScript client. Run by TypeScriptClientTest, which starts a
// server whose password is PASSWORD (written here, not passed through the environment) and passes
// AGENT_CHAT_URL and AGENT_CHAT_CLIENT (the package folder).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { eventually } = require('./waiting');

const { MessagesApi, ResponseError, followRoom, passwordHeader, roomConfiguration } = require(process.env.AGENT_CHAT_CLIENT
  ?? path.join(__dirname, '../../../target/npm/agent-chat-client'));

const PASSWORD = 'Schlüssel-密码';
const url = process.env.AGENT_CHAT_URL;

test('passwordHeader writes a password beyond ASCII, or one that looks encoded, as RFC 8187 does', () => {
  assert.equal(passwordHeader('correct horse'), 'correct horse');
  assert.equal(passwordHeader(PASSWORD), "UTF-8''Schl%C3%BCssel-%E5%AF%86%E7%A0%81");
  assert.equal(passwordHeader("utf-8''a b"), "UTF-8''utf-8%27%27a%20b");
});

test('a password beyond ASCII posts, and followRoom streams what was posted', async () => {
  const sent = await new MessagesApi(roomConfiguration(url, PASSWORD))
    .sendMessage({ newMessage: { agent: 'jürgen', text: 'grüß dich' } });
  const received = [];
  const errors = [];
  const follower = followRoom(roomConfiguration(url, PASSWORD), {
    after: sent.message.id - 1,
    onMessage: (m) => received.push(m),
    onError: (e) => errors.push(e),
  });
  try {
    await eventually(() => received.length > 0 || errors.length > 0);
    assert.deepEqual(errors, []);
    assert.deepEqual(received.map((m) => `${m.agent}: ${m.text}`), ['jürgen: grüß dich']);
    assert.equal(follower.transport, 'stream');
  } finally {
    follower.close();
    await follower.done;
  }
});

test('a wrong password beyond ASCII is refused', async () => {
  const wrong = roomConfiguration(url, 'Schlussel-密码');
  await assert.rejects(new MessagesApi(wrong).sendMessage({ newMessage: { agent: 'jürgen', text: 'no' } }),
    (error) => error instanceof ResponseError && error.response.status === 401);
  const errors = [];
  const follower = followRoom(wrong, { after: 0, onMessage: () => {}, onError: (e) => errors.push(e) });
  await follower.done;
  assert.deepEqual(errors.map((e) => e.response.status), [401]);
});
