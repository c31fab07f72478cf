// The room's MCP endpoint ({base}/mcp) driven by the official TypeScript MCP SDK's Streamable HTTP client.
// Run by TypeScriptClientTest against a live server: AGENT_CHAT_URL, AGENT_CHAT_PASSWORD, NODE_PATH.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');

const url = required('AGENT_CHAT_URL');
const password = required('AGENT_CHAT_PASSWORD');

test('the tools of agent-chat mcp are listed', async () => {
  const client = await connect('ts-lister');
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ['send_message', 'read_messages', 'wait_for_messages', 'list_agents',
      'ack_message', 'who_has_read', 'claim_resource', 'release_claim', 'list_claims', 'search_messages',
      'export_transcript', 'room_info']);
    assert.equal(client.getServerVersion().name, 'agent-chat');
    const about = await client.callTool({ name: 'room_info', arguments: {} });
    assert.match(about.content[0].text, /^Room: agent-chat\nTopic: .+\nLoop brake /);
  } finally {
    await client.close();
  }
});

test('a message sent by one agent is read once by another, across its sessions', async () => {
  const sender = await connect('ts-sender');
  const reader = await connect('ts-reader');
  try {
    await reader.callTool({ name: 'read_messages', arguments: {} });
    const sent = await sender.callTool({ name: 'send_message', arguments: { text: 'hi @ts-reader', to: ['ts-reader'] } });
    assert.equal(sent.isError, false);
    assert.match(text(sent), /^Sent: \[.+\] #\d+ ts-sender → ts-reader: hi @ts-reader$/);

    const read = await reader.callTool({ name: 'read_messages', arguments: {} });
    assert.match(text(read), /^1 new message:\n\[.+\] #\d+ ts-sender → ts-reader: hi @ts-reader$/);
  } finally {
    await sender.close();
    await reader.close();
  }
  const again = await connect('ts-reader');
  try {
    const read = await again.callTool({ name: 'read_messages', arguments: {} });
    assert.equal(text(read), 'No new messages.');
  } finally {
    await again.close();
  }
});

test('wait_for_messages wakes when someone writes to the agent', async () => {
  const waiter = await connect('ts-waiter');
  const writer = await connect('ts-writer');
  try {
    await waiter.callTool({ name: 'read_messages', arguments: {} });
    const waiting = waiter.callTool({ name: 'wait_for_messages', arguments: { timeout_seconds: 20, mentions_only: true } });
    // whether the wait starts before or after these posts, the mention is unread and wakes it
    await writer.callTool({ name: 'send_message', arguments: { text: 'not for you' } });
    await writer.callTool({ name: 'send_message', arguments: { text: '@ts-waiter your turn' } });

    const woken = await waiting;
    assert.match(text(woken), /ts-writer: @ts-waiter your turn/);
    assert.doesNotMatch(text(woken), /not for you/);
  } finally {
    await waiter.close();
    await writer.close();
  }
});

test('a wrong password is refused', async () => {
  await assert.rejects(connect('ts-intruder', 'wrong password'), /401|Invalid password/);
});

async function connect(agent, roomPassword = password) {
  const transport = new StreamableHTTPClientTransport(new URL(url + '/mcp'), {
    requestInit: { headers: { 'X-Room-Password': roomPassword, 'X-Agent-Name': agent } },
  });
  const client = new Client({ name: 'agent-chat-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

function text(result) {
  return result.content[0].text;
}

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
