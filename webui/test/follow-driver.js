// Follows a room with the web UI for the follow conformance suite (FollowConformance, through
// ScriptFollower; run by WebUiFollowConformanceTest): opens the room's page with the password link in
// a new context of headless Debian Chromium (the suite's browser-server.js at BROWSER_WS_ENDPOINT, or
// one of its own), shortens the page's timings, and writes on stdout one tab-separated line per
// happening on the page: `message<TAB>text` for each message that appears in its log (so a message
// shown twice is written twice), `notice<TAB>…` for the log's notices (a restart) and status changes,
// and `error<TAB>…` when the page refuses the password or says the room is gone, then exits.
import { chromium } from 'playwright-core';
import { LAUNCH_OPTIONS } from './chromium.js';

const URL_OF_ROOM = required('AGENT_CHAT_URL');
const PASSWORD = required('AGENT_CHAT_PASSWORD');
const READER = 'conformance-reader';
/** The page's timing overrides (<html data-…>), from the suite's settings. */
const TIMINGS = {
  silenceMs: process.env.FOLLOW_SILENCE_MS || '',
  streamRetryMs: process.env.FOLLOW_STREAM_RETRY_MS || '',
};
// FOLLOW_OPEN_TIMEOUT_MS has no counterpart: an EventSource cannot tell a stream that is slow to open,
// so the page counts failed opens instead (docs/following.md), and a stream that never opens is
// caught by the silence timeout.

/**
 * @param {string} name
 * @returns {string}
 */
function required(name) {
  const value = process.env[name];
  if (!value) {
    process.stdout.write(`error\t${name} is not set\n`);
    process.exit(2);
  }
  return value;
}

/**
 * @param {'message'|'notice'|'error'} kind
 * @param {string} text
 */
function say(kind, text) {
  process.stdout.write(`${kind}\t${text.replace(/[\t\n]/g, ' ')}\n`);
}

// the suite's shared browser when it runs one (browser-server.js), else one of our own
const browser = process.env.BROWSER_WS_ENDPOINT
  ? await chromium.connect(process.env.BROWSER_WS_ENDPOINT)
  : await chromium.launch({ ...LAUNCH_OPTIONS, handleSIGTERM: false, handleSIGINT: false });

let closing = false;
/** @param {number} code */
async function quit(code) {
  if (closing) {
    return;
  }
  closing = true;
  await browser.close().catch(() => {});
  process.exit(code);
}
process.on('SIGTERM', () => quit(0));
process.on('SIGINT', () => quit(0));

const context = await browser.newContext();
const page = await context.newPage();
page.on('pageerror', (error) => say('notice', `page error: ${error}`));
page.on('console', (message) => {
  if (message.type() === 'error') {
    say('notice', `console: ${message.text()}`);
  }
});

await page.exposeFunction('reportToFollower', (/** @type {string} */ kind, /** @type {string} */ text) => {
  if (kind === 'error') {
    say('error', text);
    quit(1);
  } else {
    say(kind, text);
  }
});

// Before the page's own scripts: the reader's name, the timings, and the watchers of the log, the
// status line and the login form. The page's module scripts run after the document is parsed, so
// everything is in place before the room is followed.
await page.addInitScript(({ reader, timings }) => {
  localStorage.setItem('agent-chat.name', reader);
  const report = (kind, text) => window.reportToFollower(kind, text);
  document.addEventListener('readystatechange', () => {
    if (document.readyState !== 'interactive') {
      return;
    }
    for (const [key, value] of Object.entries(timings)) {
      if (value) {
        document.documentElement.dataset[key] = value;
      }
    }
    // each element added to the log once: a message (its text) or a notice
    new MutationObserver((changes) => {
      for (const change of changes) {
        for (const node of change.addedNodes) {
          if (!(node instanceof HTMLElement)) {
            continue;
          }
          if (node.classList.contains('msg')) {
            report('message', node.querySelector('.msg-body')?.textContent ?? '');
          } else if (node.classList.contains('notice')) {
            report('notice', node.textContent ?? '');
          }
        }
      }
    }).observe(document.getElementById('log'), { childList: true });
    const status = document.getElementById('status');
    new MutationObserver(() => {
      report('notice', `status ${status.dataset.state} (${status.dataset.transport})`);
      // the room is gone (404 room_not_found): the page stopped following it
      if (status.dataset.state === 'gone') {
        report('error', `the page says the room is gone: ${document.getElementById('ended').textContent}`);
      }
    }).observe(status, { attributes: true, attributeFilter: ['data-state', 'data-transport'] });
    // the login form shown again with a reason: the password was refused
    const reason = document.getElementById('login-error');
    new MutationObserver(() => {
      if (reason.textContent) {
        report('error', `the page refused the password: ${reason.textContent}`);
      }
    }).observe(reason, { childList: true, characterData: true, subtree: true });
  });
}, { reader: READER, timings: TIMINGS });

const room = URL_OF_ROOM.endsWith('/') ? URL_OF_ROOM : `${URL_OF_ROOM}/`;
await page.goto(`${room}?password=${encodeURIComponent(PASSWORD)}`);
say('notice', 'page opened');
