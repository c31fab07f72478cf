// Follows a room with followRoom for the follow conformance suites (FollowConformance,
// LiveStartConformance and ReachedBeforeConformance, through ScriptFollower): the room and timeouts come
// from the environment, FOLLOW_AFTER says where to start (default 0, -1 live), or FOLLOW_AFTER_MESSAGE
// after which message (its JSON, given as the message itself), and FOLLOW_REACHED_BEFORE=true
// that the room was reached before; each message, notice and the error that stops it is one
// tab-separated line on stdout.
'use strict';

const path = require('node:path');

const { followRoom, roomConfiguration, MessageFromJSON } = require(process.env.AGENT_CHAT_CLIENT
  ?? path.join(__dirname, '../../../target/npm/agent-chat-client'));

/**
 * @param {string} kind message, notice or error
 * @param {string} text what to say
 */
function say(kind, text) {
  process.stdout.write(`${kind}\t${text}\n`);
}

const follower = followRoom(roomConfiguration(process.env.AGENT_CHAT_URL, process.env.AGENT_CHAT_PASSWORD), {
  after: process.env.FOLLOW_AFTER_MESSAGE
    ? MessageFromJSON(JSON.parse(process.env.FOLLOW_AFTER_MESSAGE))
    : Number(process.env.FOLLOW_AFTER ?? 0),
  reachedBefore: process.env.FOLLOW_REACHED_BEFORE === 'true',
  minBackoffMs: 100,
  maxBackoffMs: 1000,
  silenceMs: Number(process.env.FOLLOW_SILENCE_MS),
  openTimeoutMs: Number(process.env.FOLLOW_OPEN_TIMEOUT_MS),
  streamRetryMs: Number(process.env.FOLLOW_STREAM_RETRY_MS),
  onMessage: (message) => say('message', message.text),
  onState: (state, transport) => say('notice', `${state} (${transport})`),
  onRestart: () => say('notice', 'restarted'),
  onTruncated: (requested, oldest) => say('notice', `truncated ${requested} ${oldest}`),
  onError: (error) => {
    say('error', `${error.response.status} ${error.message}`);
    process.exitCode = 1;
  },
});
process.on('SIGTERM', () => follower.close());
