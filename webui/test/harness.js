// Helpers for the browser tests: the server under test, a room per test and its API, and the browser.
import { createServer, request as httpRequest } from 'node:http';
import { chromium } from 'playwright-core';
import { LAUNCH_OPTIONS } from './chromium.js';

/**
 * Set by the JUnit runner (WebUiBrowserTest): the shared server (tests make their rooms on it), the
 * password of a server's own room, and the endpoint that gives a test a server of its own.
 */
const BASE = requireEnv('AGENT_CHAT_URL');
const PASSWORD = requireEnv('AGENT_CHAT_PASSWORD');
const CONTROL = process.env.AGENT_CHAT_CONTROL || '';
/** The shared server's host key: creating a named room needs it. */
export const HOST_KEY = requireEnv('AGENT_CHAT_HOST_KEY');
export const ARTIFACTS = process.env.ARTIFACTS_DIR || 'target';
/** Context options for a phone: a touch screen 390 by 844 px. */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/**
 * @param {string} name
 * @returns {string}
 */
function requireEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} must be set (the JUnit test WebUiBrowserTest sets it)`);
  }
  return value;
}

/**
 * Starts headless Debian Chromium (never a downloaded browser).
 * @returns {Promise<import('playwright-core').Browser>}
 */
export function launch() {
  return chromium.launch(LAUNCH_OPTIONS);
}

/**
 * A fresh page (own cookies and storage) that fails the test on any script error.
 * @param {import('playwright-core').Browser} browser
 * @param {object} [options] context options (viewport, colorScheme …)
 * @returns {Promise<{page: import('playwright-core').Page, errors: string[], context: any}>}
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  recordTraffic(page);
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused/.test(message.text())) {
      errors.push(message.text());
    }
  });
  return { page, errors, context };
}

/** What each page asked for and what became of it, to explain a failure. */
const traffic = new WeakMap();

/**
 * @param {import('playwright-core').Page} page
 */
function recordTraffic(page) {
  const started = Date.now();
  const lines = [];
  traffic.set(page, lines);
  const at = () => `${String(Date.now() - started).padStart(6)} ms`;
  const name = (request) => `${request.method()} ${request.url().replace(/password=[^&]*/, 'password=…')}`;
  page.on('request', (request) => lines.push(`${at()} → ${name(request)}`));
  page.on('response', (response) => lines.push(`${at()} ← ${response.status()} ${name(response.request())}`));
  page.on('requestfailed', (request) => lines.push(`${at()} ✗ ${request.failure()?.errorText} ${name(request)}`));
  page.on('requestfinished', (request) => lines.push(`${at()} ✓ ${name(request)}`));
  page.on('console', (message) => lines.push(`${at()} console.${message.type()}: ${message.text()}`));
}

/**
 * Runs a step; if it fails, prints the page's requests and console so far, then fails the same way.
 * @template T
 * @param {import('playwright-core').Page} page
 * @param {() => Promise<T>} step
 * @returns {Promise<T>}
 */
export async function explained(page, step) {
  try {
    return await step();
  } catch (error) {
    console.log(`the page's traffic until the failure:\n${(traffic.get(page) || []).join('\n')}`);
    const status = await page.locator('#status').evaluate((el) => ({ ...el.dataset, text: el.textContent }))
      .catch(() => 'unknown');
    console.log(`status: ${JSON.stringify(status)}`);
    throw error;
  }
}

/**
 * The password as `X-Room-Password` carries it: Node's fetch, like a browser's, refuses a header beyond
 * Latin-1, so a password that is not printable ASCII goes as RFC 8187 writes it, as the page sends it.
 * @param {string} password
 * @returns {string}
 */
function passwordHeader(password) {
  return /^[\x20-\x7e]*$/.test(password) && !/^utf-8''/i.test(password) ? password : `UTF-8''${encodeURIComponent(password)}`;
}

/**
 * A room under test: its page (`url`, ending in `/`), its password, and its API beside the page.
 */
export class Room {
  /**
   * @param {string} url the room's page, e.g. `http://localhost:8765/rooms/login-x1/`
   * @param {string} password
   */
  constructor(url, password) {
    this.url = url;
    this.password = password;
  }

  /**
   * The room's name, from its address.
   * @returns {string} '' for a server's own room, at `/`
   */
  name() {
    return decodeURIComponent(/\/rooms\/([^/]+)\/$/.exec(new URL(this.url).pathname)?.[1] || '');
  }

  /**
   * The link that logs into the room, as the server prints it.
   * @returns {string}
   */
  link() {
    return `${this.url}#password=${encodeURIComponent(this.password)}`;
  }

  /**
   * Posts a message through the API, as an agent would.
   * @param {string} agent
   * @param {string} text
   * @param {object} [extra] to, reply_to
   * @returns {Promise<{id: number, agent: string, text: string}>} the stored message, with its id
   */
  async post(agent, text, extra = {}) {
    const response = await fetch(`${this.url}messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Room-Password': passwordHeader(this.password) },
      body: JSON.stringify({ agent, text, ...extra }),
    });
    if (!response.ok) {
      throw new Error(`POST ${this.url}messages answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()).message;
  }

  /**
   * Holds a name through the API (POST join), as an agent does with `agent-chat join`.
   * @param {string} agent
   * @param {'agent'|'human'} [kind]
   * @returns {Promise<string>} the name's token
   */
  async hold(agent, kind = 'agent') {
    return (await this.call('POST', 'join', { agent, kind })).token;
  }

  /**
   * Posts a message with a held name's token, as its holder: the message is verified.
   * @param {string} token from `hold`
   * @param {string} text
   * @param {object} [extra] to, reply_to, ack_requested
   * @returns {Promise<{id: number, agent: string, text: string}>} the stored message
   */
  async postAsHolder(token, text, extra = {}) {
    const response = await fetch(`${this.url}messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ text, ...extra }),
    });
    if (!response.ok) {
      throw new Error(`POST ${this.url}messages with a token answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()).message;
  }

  /**
   * Acknowledges a message through the API, as an agent would.
   * @param {number} id
   * @param {string} agent
   * @returns {Promise<{id: number, acks: string[]}>}
   */
  async ack(id, agent) {
    return this.call('POST', `messages/${id}/ack`, { agent });
  }

  /**
   * Takes a work claim through the API.
   * @param {{agent: string, resource: string, ttl_seconds?: number, note?: string}} claim
   * @returns {Promise<{id: string, resource: string}>}
   */
  async claim(claim) {
    return this.call('POST', 'claims', claim);
  }

  /**
   * Releases a work claim through the API.
   * @param {string} id
   * @param {string} agent its holder
   */
  async release(id, agent) {
    return this.call('DELETE', `claims/${encodeURIComponent(id)}?agent=${encodeURIComponent(agent)}`);
  }

  /**
   * GET or POST a path of the room's API with the password; the JSON answer, or an error.
   * @param {string} method
   * @param {string} path relative to the room
   * @param {object} [body]
   * @returns {Promise<any>}
   */
  async call(method, path, body) {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-Room-Password': passwordHeader(this.password) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`${method} ${this.url}${path} answered ${response.status}: ${await response.text()}`);
    }
    return response.json();
  }

  /**
   * The host's moderation of a name, through the API with the host key: kick, mute or unmute.
   * @param {'kick'|'mute'|'unmute'} action
   * @param {string} name
   * @returns {Promise<{agent: string, muted: boolean, blocked_until?: string}>}
   */
  async moderate(action, name) {
    const path = `agents/${encodeURIComponent(name)}/${action === 'kick' ? 'kick' : 'mute'}`;
    const response = await fetch(`${this.url}${path}`, {
      method: action === 'unmute' ? 'DELETE' : 'POST',
      headers: { Authorization: `Bearer ${HOST_KEY}` },
    });
    if (!response.ok) {
      throw new Error(`${action} of ${name} answered ${response.status}: ${await response.text()}`);
    }
    return response.json();
  }

  /**
   * The host sets the room's topic, through the API with the host key.
   * @param {string} topic
   */
  async setTopic(topic) {
    const response = await fetch(`${this.url}room/topic`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${HOST_KEY}` },
      body: JSON.stringify({ topic }),
    });
    if (!response.ok) {
      throw new Error(`setting the topic answered ${response.status}: ${await response.text()}`);
    }
  }

  /**
   * All retained messages, through the API.
   * @returns {Promise<object[]>}
   */
  async messages() {
    const response = await fetch(`${this.url}messages`, { headers: { 'X-Room-Password': passwordHeader(this.password) } });
    if (!response.ok) {
      throw new Error(`GET ${this.url}messages answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()).messages;
  }

  /**
   * Opens the room's stream as an agent would (the caller aborts the signal to leave).
   * @param {string} agent
   * @param {AbortSignal} signal
   * @returns {Promise<Response>}
   */
  async stream(agent, signal) {
    const response = await fetch(`${this.url}messages/stream?agent=${encodeURIComponent(agent)}`, {
      headers: { 'X-Room-Password': passwordHeader(this.password) }, signal,
    });
    // read until the caller aborts: fetch cancels a body nobody reads once its response is collected,
    // which closed the stream (and ended the listener) at the collector's whim
    response.body?.pipeTo(new WritableStream(), { signal }).catch(() => {});
    return response;
  }
}

/**
 * A new named room for one test alone, on the shared server or on a test's own (`ownServer`).
 * @param {string} label what the test is about, for the room's name
 * @param {string} [server] the server's address, without a trailing slash
 * @param {{observer?: string}} [options] a password of the room's own that only reads (none by default)
 * @returns {Promise<Room>}
 */
export async function newRoom(label, server = BASE, options = {}) {
  const name = marker(label);
  const password = marker('pw');
  const headers = { 'X-Room-Password': password, Authorization: `Bearer ${HOST_KEY}` };
  if (options.observer) {
    headers['X-Observer-Password'] = passwordHeader(options.observer);
  }
  const response = await fetch(`${server}/rooms/${name}`, { method: 'PUT', headers });
  if (response.status !== 201) {
    throw new Error(`PUT /rooms/${name} answered ${response.status}: ${await response.text()}`);
  }
  return new Room(`${server}/rooms/${name}/`, password);
}

/**
 * A server of one test's own, for a test that stops and starts it, with its own room at `/` (which a
 * restart empties: the new room numbers its messages from 1 again). It is stopped when the test ends.
 * @param {import('node:test').TestContext} t the test
 * @param {{maxAgentTurns?: number, password?: string, limits?: Record<string, number>}} [settings] the
 *   loop brake's limit (off by default), its room's password (the shared server's by default), and
 *   `agent-chat.limits.*` by the rest of their names (`{'streams-total': 1}`)
 * @returns {Promise<{room: Room, url: string, stop: () => Promise<void>, start: () => Promise<void>}>}
 *   its room at `/`, its address (for `newRoom`), and its stop and start
 */
export async function ownServer(t, settings = {}) {
  if (!CONTROL) {
    throw new Error('AGENT_CHAT_CONTROL is not set: tests that restart a server need the JUnit runner');
  }
  const query = new URLSearchParams();
  if (settings.maxAgentTurns !== undefined) {
    query.set('max-agent-turns', String(settings.maxAgentTurns));
  }
  if (settings.password !== undefined) {
    query.set('password', settings.password);
  }
  for (const [name, value] of Object.entries(settings.limits || {})) {
    query.set(`limits.${name}`, String(value));
  }
  const response = await fetch(`${CONTROL}/servers?${query}`, { method: 'POST' });
  if (response.status !== 201) {
    throw new Error(`starting a server answered ${response.status}`);
  }
  const { id, url } = await response.json();
  /** @param {'stop'|'start'} action */
  const control = async (action) => {
    const answer = await fetch(`${CONTROL}/servers/${id}/${action}`, { method: 'POST' });
    if (answer.status !== 204) {
      throw new Error(`${action} of server ${id} answered ${answer.status}`);
    }
  };
  t.after(() => control('stop'));
  return { room: new Room(`${url}/`, settings.password ?? PASSWORD), url, stop: () => control('stop'), start: () => control('start') };
}

/**
 * Opens the room by its link and waits until it is connected.
 * @param {import('playwright-core').Page} page
 * @param {Room} room
 * @param {string} [name] display name to use
 */
export async function enter(page, room, name) {
  if (name) {
    // only when none is stored, so that a reload shows what the page itself remembered
    await page.addInitScript((n) => {
      if (localStorage.getItem('agent-chat.name') === null) {
        localStorage.setItem('agent-chat.name', n);
      }
    }, name);
  }
  // the link carries the password in its fragment, which the browser never sends: no request
  // (the page's own load included) may carry it, so no proxy or tunnel can log it
  const leaks = [];
  const watch = (request) => {
    if (request.url().includes('password=') || request.url().includes(encodeURIComponent(room.password))) {
      leaks.push(request.url());
    }
  };
  page.on('request', watch);
  await page.goto(room.link());
  await page.locator('#status[data-state="connected"]').waitFor({ timeout: 15000 });
  page.off('request', watch);
  if (leaks.length > 0 || page.url().includes('password=')) {
    throw new Error(`the password left the browser or stayed in the address bar: ${[...leaks, page.url()].join(', ')}`);
  }
}

/**
 * How many messages on the page contain this text.
 * @param {import('playwright-core').Page} page
 * @param {string} text
 * @returns {Promise<number>}
 */
export function countOnPage(page, text) {
  return page.locator('#log .msg', { hasText: text }).count();
}

/**
 * Whether an element is wholly in view in the conversation: not scrolled out of it above or below
 * (under the header, a banner or the composer).
 * @param {import('playwright-core').Locator} element
 * @returns {Promise<boolean>}
 */
export function inLogView(element) {
  return element.evaluate((node) => {
    const box = node.getBoundingClientRect();
    const log = document.getElementById('log').getBoundingClientRect();
    return box.top >= log.top - 1 && box.bottom <= log.bottom + 1;
  });
}

/**
 * Waits until a condition holds (polling), or fails with the last value seen.
 * @param {() => Promise<any>} probe
 * @param {(value: any) => boolean} ok
 * @param {string} what
 * @param {number} [timeout] ms
 */
export async function eventually(probe, ok, what, timeout = 15000) {
  const deadline = Date.now() + timeout;
  let value;
  for (;;) {
    value = await probe();
    if (ok(value)) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * What a screenshot shows, measured by a page's own canvas: how many colours it has, and how light it
 * is on average (0 black … 255 white).
 * @param {import('playwright-core').Page} page any page of the test's (its canvas decodes the picture)
 * @param {Buffer} png a screenshot
 * @returns {Promise<{colours: number, lightness: number}>}
 */
export function pixels(page, png) {
  return page.evaluate(async (data) => {
    const image = new Image();
    image.src = `data:image/png;base64,${data}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const rgba = context.getImageData(0, 0, image.width, image.height).data;
    const colours = new Set();
    let light = 0;
    for (let i = 0; i < rgba.length; i += 4) {
      colours.add((rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2]);
      light += 0.2126 * rgba[i] + 0.7152 * rgba[i + 1] + 0.0722 * rgba[i + 2];
    }
    return { colours: colours.size, lightness: light / (rgba.length / 4) };
  }, png.toString('base64'));
}

/**
 * A unique marker: for room names, and for telling a test's messages apart on the page.
 * @param {string} label
 * @returns {string}
 */
export function marker(label) {
  return `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * A proxy in front of a room's server that can go silent the way a broken proxy does: it keeps the
 * streams it carries open but forwards nothing more on them. Streams opened later go through again.
 * Closed when the test ends.
 * @param {import('node:test').TestContext} t the test
 * @param {Room} room the room to reach through it
 * @returns {Promise<{room: Room, streams: () => number, keepalives: () => number, silence: () => void}>}
 *   the same room behind the proxy, how many streams it carried, how many keepalive events it forwarded
 */
export async function silencingProxy(t, room) {
  const target = new URL(room.url);
  /** @type {Set<() => void>} */
  const live = new Set();
  let streams = 0;
  let keepalives = 0;
  const proxy = createServer((req, res) => {
    const isStream = req.url.includes('/messages/stream');
    if (isStream) {
      streams += 1;
    }
    // uncompressed, so that the keepalive events it forwards can be counted
    const headers = { ...req.headers, host: target.host };
    delete headers['accept-encoding'];
    const upstream = httpRequest({
      host: target.hostname, port: target.port, method: req.method, path: req.url, headers,
    }, (answer) => {
      res.writeHead(answer.statusCode || 502, answer.headers);
      let silent = false;
      const silence = () => {
        silent = true;
      };
      if (isStream) {
        live.add(silence);
      }
      answer.on('data', (chunk) => {
        if (silent) {
          return;
        }
        keepalives += (String(chunk).match(/^event: keepalive$/gm) || []).length;
        res.write(chunk);
      });
      answer.on('end', () => {
        live.delete(silence);
        if (!silent) {
          res.end();
        }
      });
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => {
    proxy.closeAllConnections();
    proxy.close(() => resolve());
  }));
  const { port } = /** @type {import('node:net').AddressInfo} */ (proxy.address());
  return {
    room: new Room(`http://127.0.0.1:${port}${target.pathname}`, room.password),
    streams: () => streams,
    keepalives: () => keepalives,
    silence: () => {
      for (const silence of live) {
        silence();
      }
      live.clear();
    },
  };
}
