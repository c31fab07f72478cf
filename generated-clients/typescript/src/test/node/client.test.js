// The generated TypeScript client (compiled package) and followRoom against a live agent-chat server.
// Run by TypeScriptClientTest, which starts the server and a fault proxy and passes
// AGENT_CHAT_URL, AGENT_CHAT_PROXY_URL, AGENT_CHAT_PASSWORD, AGENT_CHAT_HOST_KEY and AGENT_CHAT_CLIENT
// (the package folder).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const path = require('node:path');
const { delay, eventually } = require('./waiting');

const client = require(process.env.AGENT_CHAT_CLIENT
  ?? path.join(__dirname, '../../../target/npm/agent-chat-client'));
const { MessagesApi, SystemApi, AgentsApi, RoomApi, RoomsApi, Configuration, FetchError, ResponseError, roomConfiguration, bearerConfiguration, followRoom } = client;

const url = required('AGENT_CHAT_URL');
const proxyUrl = required('AGENT_CHAT_PROXY_URL');
const password = required('AGENT_CHAT_PASSWORD');
const hostKey = required('AGENT_CHAT_HOST_KEY');
const messages = new MessagesApi(roomConfiguration(url, password));

test('health needs no password', async () => {
  const health = await new SystemApi(roomConfiguration(url, 'not the password')).getHealth();
  assert.equal(health.status, 'ok');
});

test('a sent message is listed with its id, agent, text and timestamp', async () => {
  const sent = await messages.sendMessage({ newMessage: { agent: 'ts-planner', text: 'hello @coder' } });
  assert.equal(sent.ok, true);

  const listed = await messages.listMessages({ after: sent.message.id - 1 });

  assert.equal(listed.messages.length, 1);
  assert.equal(listed.messages[0].id, sent.message.id);
  assert.equal(listed.messages[0].agent, 'ts-planner');
  assert.equal(listed.messages[0].text, 'hello @coder');
  assert.deepEqual(listed.messages[0].mentions, ['coder']);
  assert.ok(listed.messages[0].timestamp instanceof Date);
});

test('a long-poll with wait wakes when a message is posted', async () => {
  const { next } = await messages.pollMessages({ after: 0 });
  const started = Date.now();
  let settled = false;
  const poll = messages.pollMessages({ after: next, wait: 30 }).finally(() => { settled = true; });
  await delay(500);
  assert.equal(settled, false, 'the poll waits while nothing is new');

  const sent = await messages.sendMessage({ newMessage: { agent: 'ts-waker', text: 'wake up' } });
  const result = await poll;

  assert.ok(Date.now() - started < 5000, 'woke on the post, long before the 30 s wait');
  assert.deepEqual(result.messages.map((m) => m.id), [sent.message.id]);
  assert.equal(result.next, sent.message.id);
});

test('followRoom delivers live messages in order over the stream', async () => {
  const received = [];
  const follower = followRoom(roomConfiguration(url, password), {
    agent: 'ts-follower',
    onMessage: (m) => received.push(m),
  });
  try {
    await eventually(async () => (await new AgentsApi(roomConfiguration(url, password)).listAgents())
      .agents.some((a) => a.name === 'ts-follower' && a.online));
    const first = await send('one');
    const second = await send('two');

    await eventually(() => received.length >= 2);
    assert.deepEqual(received.map((m) => m.id), [first.id, second.id]);
    assert.equal(follower.transport, 'stream');
  } finally {
    follower.close();
    await follower.done;
  }
});

test('followRoom resumes with Last-Event-ID after the connection is cut', async () => {
  const before = await send('before the follower');
  const streamsBefore = await proxyStreams();
  const received = [];
  const follower = followRoom(roomConfiguration(proxyUrl, password), {
    after: before.id,
    minBackoffMs: 50,
    maxBackoffMs: 200,
    onMessage: (m) => received.push(m),
  });
  try {
    const first = await send('first');
    await eventually(() => received.length === 1);

    await proxy('down');
    const missedOne = await send('sent while cut off');
    const missedTwo = await send('also sent while cut off');
    await proxy('up');

    await eventually(() => received.length >= 3, 10000);
    assert.deepEqual(received.map((m) => m.id), [first.id, missedOne.id, missedTwo.id]);
    assert.ok(await proxyStreams() >= streamsBefore + 2, 'it reconnected');
  } finally {
    follower.close();
    await follower.done;
  }
});

test('the host creates a named room with its password and the host key; a second call confirms it; the host lists and ends it', async () => {
  const name = `ts-room-${Date.now()}`;
  const asHost = new Configuration({ basePath: url, headers: { 'X-Room-Password': 'ts-room-pw' }, accessToken: hostKey });

  const created = await new RoomsApi(asHost).createRoomRaw({ room: name });
  const again = await new RoomsApi(roomConfiguration(url, 'ts-room-pw')).createRoomRaw({ room: name });

  assert.equal(created.raw.status, 201);
  assert.deepEqual(await created.value(), { room: name, created: true, url: `${url}/rooms/${name}` });
  assert.equal(again.raw.status, 200, 'the password of a room that exists is confirmed');
  assert.equal((await again.value()).created, false);
  const inside = new MessagesApi(roomConfiguration(`${url}/rooms/${name}`, 'ts-room-pw'));
  const { message } = await inside.sendMessage({ newMessage: { agent: 'ts-host', text: 'in the new room' } });
  assert.equal(message.id, 1);

  const listed = async () => (await new RoomsApi(asHost).listRooms()).rooms.map((room) => room.room);
  assert.ok((await listed()).includes(name));
  const ending = bearerConfiguration(`${url}/rooms/${name}`, hostKey);
  assert.equal((await new RoomApi(ending).endRoomRaw()).raw.status, 204);
  const gone = await inside.sendMessage({ newMessage: { agent: 'ts-host', text: 'too late' } }).then(
    () => assert.fail('the ended room took a message'), (e) => e);
  assert.equal(gone.response.status, 404);
  assert.equal((await gone.response.json()).code, 'room_not_found');
  assert.ok(!(await listed()).includes(name));
});

test('a wrong password is a ResponseError with status 401', async () => {
  const wrong = new MessagesApi(roomConfiguration(url, 'wrong'));

  const error = await wrong.sendMessage({ newMessage: { text: 'hi' } }).then(
    () => assert.fail('a wrong password was accepted'), (e) => e);

  assert.ok(error instanceof ResponseError, `got ${error}`);
  assert.equal(error.response.status, 401);
  assert.equal((await error.response.json()).code, 'invalid_password');
  assert.match(error.message, /^401 invalid_password: /);
});

test('a refusal\'s message is the server\'s error and code, its response still readable', async () => {
  const agents = new AgentsApi(roomConfiguration(url, password));
  await agents.claimName({ joinRequest: { agent: 'ts-claimed' } });

  const error = await agents.claimName({ joinRequest: { agent: 'ts-claimed' } }).then(
    () => assert.fail('a held name was claimed again'), (e) => e);

  assert.ok(error instanceof ResponseError, `got ${error}`);
  const { code, error: why } = await error.response.json();
  assert.equal(code, 'name_claimed');
  assert.equal(error.message, `403 name_claimed: ${why}`);
  assert.match(String(error.stack), /^ResponseError: 403 name_claimed: /, 'an uncaught refusal prints it');
});

test('an answer that is not the server\'s JSON error is a refusal saying its status and first line', async () => {
  const elsewhere = new SystemApi(roomConfiguration(`${proxyUrl}/__proxy`, password)); // the proxy's own page

  const error = await elsewhere.getHealth().then(() => assert.fail('the proxy answered health'), (e) => e);

  assert.ok(error instanceof ResponseError, `got ${error}`);
  assert.equal(error.message, '404 Not Found: unknown proxy action health');
});

test('followRoom hands a wrong password to onError and stops, with the refusal readable', async () => {
  // started live (its first request a list) and from a cursor (its first request the stream)
  for (const start of [{}, { after: 0 }]) {
    const errors = [];
    const follower = followRoom(roomConfiguration(url, 'wrong'), { ...start, onMessage: () => {}, onError: (e) => errors.push(e) });
    await follower.done;

    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof ResponseError);
    assert.equal(errors[0].response.status, 401);
    assert.equal((await errors[0].response.json()).code, 'invalid_password', `why, after ${JSON.stringify(start)}`);
    assert.match(errors[0].message, /^401 invalid_password: /, `its message, after ${JSON.stringify(start)}`);
  }
});

test('a name\'s token posts as that name, verified, with no password and no agent (bearerConfiguration)', async () => {
  const { token } = await new AgentsApi(roomConfiguration(url, password)).claimName({ joinRequest: { agent: 'ts-verified' } });

  const { message } = await new MessagesApi(bearerConfiguration(`${url}/`, token))
    .sendMessage({ newMessage: { text: 'posted with the token' } });

  assert.equal(message.agent, 'ts-verified');
  assert.equal(message.verified, true);
  const refused = await new MessagesApi(bearerConfiguration(url, 'not-a-token'))
    .sendMessage({ newMessage: { text: 'no' } }).then(() => assert.fail('a made-up token posted'), (e) => e);
  assert.equal(refused.response.status, 401);
});

test('followRoom with a name\'s token (bearerConfiguration) follows as that name: present, its read receipt moving', async () => {
  const { token } = await new AgentsApi(roomConfiguration(url, password)).claimName({ joinRequest: { agent: 'ts-holder' } });
  const received = [];
  const follower = followRoom(bearerConfiguration(url, token), {
    after: 0, onMessage: (m) => received.push(m), onError: (e) => received.push(e),
  });
  try {
    const agents = new AgentsApi(roomConfiguration(url, password));
    const holder = async () => (await agents.listAgents()).agents.find((a) => a.name === 'ts-holder');
    await eventually(async () => (await holder())?.online === true);
    const sent = await messages.sendMessage({ newMessage: { agent: 'ts-poster', text: 'for the holder' } });
    await eventually(() => received.some((m) => m.id === sent.message.id));
    await eventually(async () => (await holder())?.readUpTo >= sent.message.id);
  } finally {
    follower.close();
    await follower.done;
  }
});

test('followRoom under a name the host kicks hands the 403 kicked refusal to onError and stops, reporting no loss first', async () => {
  const { token } = await new AgentsApi(roomConfiguration(url, password)).claimName({ joinRequest: { agent: 'ts-kicked' } });
  const errors = [];
  const states = [];
  const follower = followRoom(bearerConfiguration(url, token), {
    after: 0, onMessage: () => {}, onError: (e) => errors.push(e), onState: (state) => states.push(state),
  });
  try {
    const agents = new AgentsApi(roomConfiguration(url, password));
    await eventually(async () => (await agents.listAgents()).agents.some((a) => a.name === 'ts-kicked' && a.online));

    await new AgentsApi(bearerConfiguration(url, hostKey)).kickAgent({ agent: 'ts-kicked' });

    await eventually(() => errors.length > 0);
    await follower.done;
    assert.equal(errors.length, 1);
    assert.equal(errors[0].response.status, 403);
    const why = await errors[0].response.json();
    assert.equal(why.code, 'kicked');
    assert.equal(errors[0].message, `403 kicked: ${why.error}`);
    assert.ok(why.blocked_until, 'says until when the name is blocked');
    assert.deepEqual(states, [], 'the stream said why it ended: no loss reported before the refusal');
  } finally {
    follower.close();
    await follower.done;
  }
});

test('a call that gets no answer says which call failed and why', async () => {
  const nobody = await closedPort();
  const unreachable = new MessagesApi(roomConfiguration(`http://127.0.0.1:${nobody}`, password));

  const error = await unreachable.sendMessage({ newMessage: { agent: 'ts-sender', text: 'anyone?' } }).then(
    () => assert.fail('a closed port took a message'), (e) => e);

  assert.ok(error instanceof FetchError, `got ${error}`);
  assert.equal(error.message, `POST http://127.0.0.1:${nobody}/messages failed: connect ECONNREFUSED 127.0.0.1:${nobody}`);
});

// Last: it hides the stream on the shared proxy for good.
test('followRoom falls back to long-poll when the stream is not available', async () => {
  await proxy('hide-stream');
  const received = [];
  const follower = followRoom(roomConfiguration(proxyUrl, password), {
    pollWaitSeconds: 5,
    onMessage: (m) => received.push(m),
  });
  try {
    await eventually(() => follower.transport === 'long-poll' && follower.lastId >= 0);
    const live = await send('live');

    await eventually(() => received.length >= 1);
    assert.deepEqual(received.map((m) => m.id), [live.id], 'history skipped, live message delivered once');
  } finally {
    follower.close();
    await follower.done;
  }
});

// fixtures

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through TypeScriptClientTest (mvn verify)`);
  return value;
}

async function send(text) {
  return (await messages.sendMessage({ newMessage: { agent: 'ts-sender', text } })).message;
}

async function proxy(action) {
  const response = await fetch(`${proxyUrl}/__proxy/${action}`, { method: 'POST' });
  assert.equal(response.status, 204);
}

/** A port nothing listens on: one the system just gave and took back. */
async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function proxyStreams() {
  return Number(await (await fetch(`${proxyUrl}/__proxy/streams`)).text());
}
