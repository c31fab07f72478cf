// Keeps the room flowing in: Server-Sent Events while they work, long-polling when the stream is
// blocked or keeps failing (some proxies and tunnels buffer it), and back to the stream later.

/** Messages per page of history (the first screen, and each page older or newer). */
export const PAGE = 100;
/** Stream failures in a row before switching to long-poll. */
const STREAM_FAILURES_BEFORE_POLL = 3;
/** A stream that stayed open this long was healthy; its end is not counted as a failure. */
const HEALTHY_STREAM_MS = 10000;
/** How long a long-poll waits on the server (seconds). */
const POLL_WAIT_SECONDS = 25;
/** While polling, try the stream again this often (data-stream-retry-ms on <html> overrides it). */
const STREAM_RETRY_MS = 30000;
/** Failed requests in a row before the state says "offline" rather than "reconnecting". */
const FAILURES_BEFORE_OFFLINE = 4;
/** If the stream has not delivered our own message this long after the POST, it is buffered. */
const STREAM_DELIVERY_MS = 6000;
/**
 * A stream with no event for this long (three of the server's 15 s keepalives) is dead even if the
 * connection looks open (data-silence-ms on <html> overrides it).
 */
const SILENCE_MS = 45000;
/**
 * The extra events the stream asks for: presence, the room's topic when it changes, the keepalive as
 * an event, since EventSource hides the server's `: keepalive` comments and only events can show that
 * the stream is alive, coordination (acknowledgements, claims, the loop brake), moderation (the host
 * kicked, muted or unmuted a name) and end (why a stream ends for good: the room ended, or the reader's
 * name was kicked).
 */
const STREAM_EVENTS = 'presence,topic,keepalive,coordination,moderation,end';
/** The codes of a name's token the room no longer takes: never given (by this room), expired, given up or revoked. */
const TOKEN_ENDED = new Set(['invalid_token', 'token_expired', 'token_revoked']);

/**
 * @typedef {'connecting'|'connected'|'reconnecting'|'offline'} State
 * @typedef {'stream'|'poll'} Transport
 * @typedef {object} Handlers
 * @property {() => string} password
 * @property {() => Record<string, string>} headers the headers that carry the password (or the host key)
 * @property {() => Record<string, string>} [followHeaders] what the polls carry instead: the token of the
 *   name the reader holds, which alone makes a held name present and moves its read receipt
 * @property {() => boolean} [onTokenRefused] a poll's name token is no longer taken (it expired or was
 *   given up): forget it, so the next poll carries `headers`; false when the poll carried no such token
 * @property {() => Promise<void>} [renewSession] asks again for the session cookie the stream needs
 * @property {() => string} agent the reader's name, for presence ('' when none yet)
 * @property {() => number} cursor the newest id received in order
 * @property {(message: object) => boolean} isKnown whether this is the message we hold under its id
 * @property {() => void} onRestart the room is not the one we followed: start again from its beginning
 * @property {(message: object) => void} onMessage
 * @property {(change: {agent: string, state: string}) => void} onPresence
 * @property {(info: {requested: number, oldest: number}) => void} onTruncated
 * @property {(ack: {id: number, agent: string, acks: string[]}) => void} onAck
 * @property {(event: {action: string, claim: object}) => void} onClaim
 * @property {(brake: {agent_turns: number, limit: number, engaged: boolean}) => void} onBrake
 * @property {(topic: string|null) => void} [onTopic] the host changed the room's topic
 * @property {(moderation: {agent: string, muted: boolean, blocked_until?: string}) => void} [onModeration]
 *   the host kicked, muted or unmuted a name
 * @property {(messages: object[], more: boolean) => void} onFirstPage the newest page was shown first;
 *   `more` when older pages may exist
 * @property {(state: State, transport: Transport, reason: string) => void} onState `reason` is why, when
 *   the server said ('' otherwise)
 * @property {() => void} onConnected called after each (re)connection, to refresh side data
 * @property {() => void} onUnauthorized
 * @property {(blockedUntil?: string) => void} onKicked the host removed the reader's name (`403`
 *   `kicked`, or the stream's `end` event with that code, with until when it is blocked when the server
 *   says): following has stopped, since every retry would be refused the same way
 * @property {() => void} onGone the room no longer exists (`404` `room_not_found`, or the stream's `end`
 *   event with that code): following has stopped, since no retry brings it back
 */

/**
 * One live connection to the room, by whichever transport works.
 */
export class Connection {
  /** @param {Handlers} handlers */
  constructor(handlers) {
    this.h = handlers;
    /** @type {Transport} */
    this.transport = 'stream';
    /** @type {State} */
    this.state = 'connecting';
    this.failures = 0;
    this.running = false;
    /** @type {EventSource|null} */
    this.source = null;
    /** @type {AbortController|null} */
    this.pollAbort = null;
    this.timer = 0;
    this.silenceTimer = 0;
    this.probeTimer = 0;
    /** @type {EventSource|null} a stream tried on the side while polling */
    this.probe = null;
    this.pollingSince = 0;
    this.onlineListener = () => this.restart();
    this.offlineListener = () => this.setState('offline');
  }

  /** Starts following the room: the newest page of its history, then live. */
  async start() {
    this.running = true;
    window.addEventListener('online', this.onlineListener);
    window.addEventListener('offline', this.offlineListener);
    await this.catchUp();
    if (this.running) {
      this.openStream();
    }
  }

  /**
   * Loads what is retained after the cursor as JSON pages, which is much faster than a replay of
   * thousands of events. The first time only the newest page: a full room opens as fast as an
   * empty one, and older pages come as the reader scrolls up. Failures are left to the stream's
   * own retries.
   */
  async catchUp() {
    try {
      const first = this.h.cursor() === 0;
      for (let after = this.h.cursor(); this.running;) {
        const query = first ? `limit=${PAGE}` : `after=${after}&limit=${PAGE}`;
        const response = await fetch(`messages?${query}`, {
          headers: this.h.headers(),
          cache: 'no-store',
        });
        if (response.status === 401) {
          this.h.onUnauthorized();
          return;
        }
        if (!response.ok) {
          await this.goneIf(response);
          return;
        }
        const { messages = [] } = await response.json();
        for (const message of messages) {
          this.h.onMessage(message);
        }
        if (first) {
          this.h.onFirstPage?.(messages, messages.length === PAGE);
        }
        if (first || messages.length < PAGE) {
          return;
        }
        after = messages[messages.length - 1].id;
      }
    } catch {
      // unreachable: the stream's retries and the status line take over
    }
  }

  /** Stops everything: no request stays open. */
  stop() {
    this.running = false;
    window.removeEventListener('online', this.onlineListener);
    window.removeEventListener('offline', this.offlineListener);
    this.closeStream();
    this.stopPolling();
    this.stopProbing();
    clearTimeout(this.timer);
  }

  /**
   * A failed answer that says the room is gone (`404` `room_not_found`: its server restarted without it,
   * or nobody used it for its TTL) stops following for good, since no retry brings it back. A `404`
   * without that code (a proxy that does not know the path) is a failure like any other.
   * EventSource cannot see statuses: a room that ends under the stream says so with the stream's `end`
   * event (see ended); a stream refused for it shows on the cursor check before it reopens, or on the
   * polls it falls back to.
   * @param {Response} response
   * @returns {Promise<boolean>} whether the room is gone
   */
  async goneIf(response) {
    if (!(await answersRoomGone(response))) {
      return false;
    }
    this.stop();
    this.h.onGone();
    return true;
  }

  /** Reconnects now (the reader changed their name, or the network came back). */
  restart() {
    if (!this.running) {
      return;
    }
    this.closeStream();
    this.stopPolling();
    clearTimeout(this.timer);
    if (this.transport === 'stream') {
      this.reopenStream();
    } else {
      this.pollLoop();
    }
  }

  /**
   * After the connection was lost: checks that the newest message we know (never below the cursor,
   * and our own message past it, whose id the answer to our POST gave before any stream brought it)
   * is still the one we hold. A server that restarted may already have as many messages as we saw, under the same
   * ids; resuming after the cursor would then skip its first ones.
   * A room with no message at or after it is another room too.
   * @returns {Promise<boolean>} whether the check could be made (false while the room is unreachable)
   */
  async verifyCursor() {
    const cursor = this.h.newest();
    if (cursor === 0) {
      return true;
    }
    try {
      const response = await fetch(`messages?after=${cursor - 1}&limit=1`, {
        headers: this.h.headers(),
        cache: 'no-store',
      });
      if (response.status === 401) {
        this.h.onUnauthorized();
        return false;
      }
      if (!response.ok) {
        await this.goneIf(response);
        return false;
      }
      const { messages = [] } = await response.json();
      // another message under our cursor's id, or none at or after it: not the room we followed
      const restarted = messages.length === 0
        || (messages[0].id === cursor && !this.h.isKnown(messages[0]));
      if (restarted) {
        this.h.onRestart();
      }
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Opens the stream again after a loss, once the cursor is known to be right. While the check
   * cannot be made (the room is unreachable), nothing is resumed: resuming after an unchecked cursor
   * would skip the first messages of a room that restarted meanwhile.
   */
  async reopenStream() {
    const checked = await this.verifyCursor();
    if (!this.running || this.transport !== 'stream' || this.source) {
      return;
    }
    if (!checked) {
      this.failures += 1;
      this.setState(this.failures >= FAILURES_BEFORE_OFFLINE ? 'offline' : 'reconnecting');
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reopenStream(), backoff(this.failures));
      return;
    }
    // a restarted server forgot the session cookie the stream authenticates with: ask for it again
    await this.h.renewSession?.();
    if (!this.running || this.transport !== 'stream' || this.source) {
      return;
    }
    this.openStream();
  }

  /**
   * Called after our own POST: if the stream does not bring the message soon, the stream is
   * being held back by something in between, and polling will do better.
   * @param {number} id the id of the message we sent
   */
  expectDelivery(id) {
    if (this.transport !== 'stream') {
      return;
    }
    setTimeout(() => {
      if (this.running && this.transport === 'stream' && this.h.cursor() < id) {
        this.switchToPoll();
      }
    }, STREAM_DELIVERY_MS);
  }

  /**
   * The query string shared by the stream and polls.
   * @param {Record<string, string|number>} extra
   * @returns {string}
   */
  query(extra) {
    const params = new URLSearchParams();
    params.set('after', String(this.h.cursor()));
    for (const [key, value] of Object.entries(extra)) {
      params.set(key, String(value));
    }
    if (this.h.agent()) {
      params.set('agent', this.h.agent());
    }
    return params.toString();
  }

  /** Opens the event stream, resuming after the newest message we have. */
  openStream() {
    this.closeStream();
    // EventSource cannot send headers: the room's session cookie (POST session) stands for the
    // password, so no secret goes into the URL (and into proxy or tunnel logs).
    const query = this.query({ events: STREAM_EVENTS });
    const source = new EventSource(`messages/stream?${query}`);
    let openedAt = 0;
    this.source = source;
    // Lost: the stream failed, or went silent. We reconnect ourselves (with ?after=) so that failures
    // can be counted and acted on, and the cursor checked first.
    const lost = () => {
      if (this.source !== source) {
        return;
      }
      this.closeStream();
      if (openedAt && Date.now() - openedAt > HEALTHY_STREAM_MS) {
        this.failures = 0;
      }
      this.failures += 1;
      if (this.failures >= STREAM_FAILURES_BEFORE_POLL) {
        this.switchToPoll();
        return;
      }
      this.setState(this.failures >= FAILURES_BEFORE_OFFLINE ? 'offline' : 'reconnecting');
      this.timer = setTimeout(() => this.reopenStream(), backoff(this.failures));
    };
    // every event (keepalives included) proves the stream alive; none for silenceMs() means it is not,
    // also when it never opened (a proxy that accepted the request and answers nothing)
    const alive = () => {
      clearTimeout(this.silenceTimer);
      this.silenceTimer = setTimeout(lost, silenceMs());
    };
    alive();
    for (const name of ['message', 'presence', 'topic', 'truncated', 'keepalive', 'ack', 'claim', 'brake', 'moderation']) {
      source.addEventListener(name, alive);
    }
    source.addEventListener('open', () => {
      alive();
      openedAt = Date.now();
      this.transport = 'stream';
      this.setState('connected');
      this.h.onConnected();
    });
    source.addEventListener('message', (event) => this.deliver(event.data, this.h.onMessage));
    source.addEventListener('presence', (event) => this.deliver(event.data, this.h.onPresence));
    source.addEventListener('truncated', (event) => this.deliver(event.data, this.h.onTruncated));
    source.addEventListener('ack', (event) => this.deliver(event.data, this.h.onAck));
    source.addEventListener('claim', (event) => this.deliver(event.data, this.h.onClaim));
    source.addEventListener('brake', (event) => this.deliver(event.data, this.h.onBrake));
    source.addEventListener('topic', (event) => this.deliver(event.data, (change) => this.h.onTopic?.(change.topic)));
    source.addEventListener('moderation', (event) => this.deliver(event.data, (change) => this.h.onModeration?.(change)));
    source.addEventListener('end', (event) => this.deliver(event.data, (reason) => this.ended(source, reason)));
    source.addEventListener('error', lost);
  }

  /**
   * The stream's last event says why it ends for good (events=end): its room ended (`room_not_found`)
   * or the host kicked the reader's name (`kicked`), the answer its next request would get. Following
   * stops at once, the stream closed first so that its closing is not reported as a loss. Any other
   * code is left alone: the stream's close is then a loss like any other.
   * @param {EventSource} source the stream that said it
   * @param {{code?: string, blocked_until?: string}} reason the event's data (an error body)
   */
  ended(source, reason) {
    if (this.source !== source) {
      return;
    }
    if (reason?.code === 'room_not_found') {
      this.stop();
      this.h.onGone();
    } else if (reason?.code === 'kicked') {
      this.stop();
      this.h.onKicked(reason.blocked_until);
    }
  }

  /**
   * Parses an event's data and hands it on; a malformed event is ignored rather than fatal.
   * @param {string} data
   * @param {(value: any) => void} handler
   */
  deliver(data, handler) {
    let value;
    try {
      value = JSON.parse(data);
    } catch {
      return;
    }
    handler(value);
  }

  /** Closes the event stream, if open. */
  closeStream() {
    clearTimeout(this.silenceTimer);
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }

  /** Gives up on the stream for now and follows the room by long-polling. */
  switchToPoll() {
    this.closeStream();
    this.transport = 'poll';
    this.failures = 0;
    this.pollingSince = Date.now();
    this.scheduleProbe();
    this.pollLoop();
  }

  /**
   * While polling, tries the stream again once it has polled for streamRetryMs(), whether or not a
   * poll was answered meanwhile (a quiet room holds each poll open for POLL_WAIT_SECONDS).
   */
  scheduleProbe() {
    clearTimeout(this.probeTimer);
    const due = Math.max(100, this.pollingSince + streamRetryMs() - Date.now());
    this.probeTimer = setTimeout(() => {
      if (!this.running || this.transport !== 'poll') {
        return;
      }
      if (Date.now() - this.pollingSince >= streamRetryMs()) {
        this.pollingSince = Date.now();
        this.renewThenProbe();
      }
      this.scheduleProbe();
    }, due);
  }

  /** Stops trying the stream on the side. */
  stopProbing() {
    clearTimeout(this.probeTimer);
    if (this.probe) {
      this.probe.close();
      this.probe = null;
    }
  }

  /** Cancels the poll in flight, if any. */
  stopPolling() {
    if (this.pollAbort) {
      this.pollAbort.abort();
      this.pollAbort = null;
    }
  }

  /** Long-polls until stopped or until the stream works again. */
  async pollLoop() {
    this.stopPolling();
    const abort = new AbortController();
    this.pollAbort = abort;
    // the first poll, and the first after a failure, answers at once: it proves the connection
    let wait = 0;
    let checked = false;
    while (this.running && this.transport === 'poll' && !abort.signal.aborted) {
      try {
        // a cursor is resumed from only once it is known to be this room's (see reopenStream)
        if (!checked && !(checked = await this.verifyCursor())) {
          throw new Error('the cursor could not be checked');
        }
        const response = await fetch(`messages/poll?${this.query({ wait })}`, {
          headers: (this.h.followHeaders ?? this.h.headers)(),
          signal: abort.signal,
          cache: 'no-store',
        });
        if (response.status === 401) {
          const refusal = await response.json().catch(() => ({}));
          if (TOKEN_ENDED.has(refusal.code) && this.h.onTokenRefused?.()) {
            continue; // the page forgot the name's token it followed with: the next poll carries the password
          }
          this.h.onUnauthorized();
          return;
        }
        // a kicked name's stream is refused too, but EventSource cannot say why (only an open stream's end
        // event can): the polls it falls back to can
        if (response.status === 403) {
          const refusal = await response.json().catch(() => ({}));
          if (refusal.code === 'kicked') {
            this.stop();
            this.h.onKicked(refusal.blocked_until);
            return;
          }
        }
        if (response.status === 429 || response.status === 503) {
          // busy or full: it answered, so not offline, and the status says why. Asked again no sooner
          // than its Retry-After, with a short wait: a poll that answers at once needs no place on the
          // server, and would pass for a connection
          const refusal = await response.json().catch(() => ({}));
          this.failures += 1;
          wait = 1;
          checked = false;
          this.setState('reconnecting', refusal.error || `The server answered ${response.status}.`);
          await sleep(Math.max(backoff(this.failures), 1000 * (Number(response.headers.get('Retry-After')) || 0)));
          continue;
        }
        if (!response.ok) {
          if (await this.goneIf(response)) {
            return;
          }
          throw new Error(`poll answered ${response.status}`);
        }
        const result = await response.json();
        wait = POLL_WAIT_SECONDS;
        const wasConnected = this.state === 'connected';
        this.failures = 0;
        this.setState('connected');
        if (!wasConnected) {
          this.h.onConnected();
        }
        for (const message of result.messages || []) {
          this.h.onMessage(message);
        }
      } catch (error) {
        if (abort.signal.aborted) {
          return;
        }
        this.failures += 1;
        wait = 0;
        this.setState(this.failures >= FAILURES_BEFORE_OFFLINE ? 'offline' : 'reconnecting');
        checked = false;
        await sleep(backoff(this.failures));
        continue;
      }
      if (Date.now() - this.pollingSince >= streamRetryMs()) {
        this.pollingSince = Date.now();
        this.renewThenProbe();
      }
    }
  }

  /** Asks for the session cookie again (a restarted server forgot it), then probes the stream. */
  async renewThenProbe() {
    await this.h.renewSession?.();
    if (this.running && this.transport === 'poll') {
      this.probeStream();
    }
  }

  /**
   * While polling, opens a stream on the side; if it opens, it takes over from polling.
   */
  probeStream() {
    // one that has not answered since the last try is given up (a proxy may hold it unanswered)
    this.probe?.close();
    const query = this.query({ events: STREAM_EVENTS });
    const probe = new EventSource(`messages/stream?${query}`);
    this.probe = probe;
    const done = () => {
      probe.close();
      if (this.probe === probe) {
        this.probe = null;
      }
    };
    probe.addEventListener('error', done, { once: true });
    probe.addEventListener('open', () => {
      done();
      if (this.running && this.transport === 'poll') {
        this.stopPolling();
        this.stopProbing();
        this.transport = 'stream';
        this.failures = 0;
        this.openStream();
      }
    }, { once: true });
  }

  /**
   * @param {State} state
   * @param {string} [reason] why, when the server said (a busy or full server's `error`)
   */
  setState(state, reason = '') {
    if (state !== 'offline' && navigator.onLine === false) {
      state = 'offline';
    }
    this.state = state;
    this.h.onState(state, this.transport, reason);
  }
}

/**
 * How long to poll before trying the stream again.
 * @returns {number} milliseconds
 */
function streamRetryMs() {
  return configuredMs('streamRetryMs', STREAM_RETRY_MS);
}

/**
 * How long a stream may go without an event before it counts as lost.
 * @returns {number} milliseconds
 */
function silenceMs() {
  return configuredMs('silenceMs', SILENCE_MS);
}

/**
 * Whether an answer says the room is gone: `404` with the code `room_not_found` (a `404` without it is a
 * path a proxy does not know).
 * @param {number} status
 * @param {{code?: string}} body the answer's JSON
 * @returns {boolean}
 */
export function roomGone(status, body) {
  return status === 404 && body?.code === 'room_not_found';
}

/**
 * What the page says when a request got no answer at all: the network dropped or the server stopped.
 * @param {string} [refused] what did not happen, e.g. `Not sent`; without it, the sentence alone
 * @returns {string}
 */
export function unreachable(refused) {
  return refused ? `${refused}: the server cannot be reached.` : 'The server cannot be reached.';
}

/**
 * {@link roomGone} for an answer whose body is not read yet (read here only when it is a `404`).
 * @param {Response} response
 * @returns {Promise<boolean>}
 */
export async function answersRoomGone(response) {
  return response.status === 404 && roomGone(404, await response.json().catch(() => ({})));
}

/**
 * An interval the page may set on its root element (`data-…-ms`, as the tests do), else its default.
 * @param {string} name the dataset key, e.g. `silenceMs`
 * @param {number} fallback milliseconds
 * @returns {number} milliseconds
 */
export function configuredMs(name, fallback) {
  const configured = Number(document.documentElement.dataset[name]);
  return configured > 0 ? configured : fallback;
}

/**
 * Waiting time before retry number n: 0.5 s, 1 s, 2 s … up to 10 s, with jitter so that many
 * clients do not come back at the same instant.
 * @param {number} n
 * @returns {number} milliseconds
 */
function backoff(n) {
  const base = Math.min(10000, 500 * 2 ** Math.max(0, n - 1));
  return base * (0.8 + Math.random() * 0.4);
}

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
