import { Connection, PAGE, answersRoomGone, configuredMs, roomGone } from './connection.js';
import { Coordination } from './coordination.js';
import { History } from './history.js';
import { kindName } from './marks.js';
import { People } from './people.js';
import { HostTools } from './host.js';
import { HeldNames } from './names.js';
import { Search } from './search.js';
import { NewestAnswer, StreamedState } from './streamed.js';
import { colourClass, concerns, localTime } from './render.js';
import { Timeline, snippet } from './timeline.js';

/** The page title, which counts unread messages while the tab is hidden. */
const TITLE = document.title;
/** This room's path on the server (`/`, `/rooms/NAME/`): what keeps one room's secrets apart from another's. */
const ROOM_PATH = location.pathname.replace(/[^/]*$/, '');
/**
 * Where the room password is kept: for this tab's session only, one per room (the server's own
 * room at `/` and each named room at `/rooms/NAME/` have their own passwords).
 */
const PASSWORD_KEY = `agent-chat.password:${ROOM_PATH}`;
/** The session cookie is asked for again at most this often (before a stream reconnects). */
const SESSION_RENEW_MS = 3000;
/** Where the display name is kept: across visits. */
const NAME_KEY = 'agent-chat.name';
/** A screen whose main pointer is a finger (a phone, a tablet): no hardware keyboard to count on. */
const TOUCH = window.matchMedia('(pointer: coarse)');

/** How often the list of people is refreshed (online status of pollers changes silently). */
const PEOPLE_REFRESH_MS = 30000;
/** Why the page goes back to the login form when the password it holds stops working. */
const PASSWORD_CHANGED = 'The room password has changed. Enter the new one.';
/** A message that could not go out; taken back once the page is connected again. */
const UNREACHABLE = 'Not sent: the server cannot be reached. Your text is still here.';
/** Said instead when what stopped working is the host's key (a restarted server makes a new one unless given one). */
const HOST_KEY_CHANGED = 'The host key no longer works (a restarted server makes a new one unless started with --host-key). '
  + 'Enter the new key, or the room password.';
/** Shown in the status line for each connection state. */
const STATE_TEXT = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  removed: 'Removed',
  gone: 'Room gone',
};

/**
 * Shorthand for getElementById.
 * @param {string} id
 * @returns {any}
 */
const $ = (id) => document.getElementById(id);

/**
 * Reads the password from the link, keeps it for the session and takes it out of the address bar,
 * so it stays out of history and out of copied links. The link carries it in the fragment
 * (`/#password=…`), which browsers never send, so it reaches no server, proxy or tunnel log;
 * `/?password=…` (older links) still works.
 * @returns {string|null}
 */
function takePasswordFromLink() {
  const url = new URL(window.location.href);
  const fragment = new URLSearchParams(url.hash.slice(1));
  const fromLink = fragment.get('password') ?? url.searchParams.get('password');
  if (fromLink !== null) {
    url.searchParams.delete('password');
    fragment.delete('password');
    const hash = fragment.toString();
    window.history.replaceState(null, '', url.pathname + url.search + (hash ? `#${hash}` : ''));
    if (fromLink !== '') {
      sessionStorage.setItem(PASSWORD_KEY, fromLink);
    }
  }
  return sessionStorage.getItem(PASSWORD_KEY);
}

/** Secrets that turned out to be the server's host key rather than a room password. */
const HOST_KEYS = new Set();

/**
 * The headers that carry a secret: the room password, or the host key as a bearer key. A password that
 * is not printable ASCII, or that begins with `UTF-8''`, goes as RFC 8187 writes it (`UTF-8''` and its
 * percent-encoded UTF-8 bytes, which the server reads back): fetch refuses a header beyond Latin-1 and
 * sends Latin-1 as single bytes.
 * @param {string} secret
 * @returns {Record<string, string>}
 */
function authHeaders(secret) {
  if (HOST_KEYS.has(secret)) {
    return { Authorization: `Bearer ${secret}` };
  }
  return { 'X-Room-Password': encodedSecret(secret) };
}

/**
 * A password as a header carries it (see authHeaders).
 * @param {string} secret
 * @returns {string}
 */
function encodedSecret(secret) {
  const plain = /^[\x20-\x7e]*$/.test(secret) && !/^utf-8''/i.test(secret);
  return plain ? secret : `UTF-8''${encodeURIComponent(secret)}`;
}

/**
 * Checks a password against the server; what is not the room's password may be the host's key.
 * @param {string} password
 * @returns {Promise<'ok'|'wrong'|'gone'|'unreachable'>}
 */
async function checkPassword(password) {
  try {
    const response = await fetch('agents', { headers: authHeaders(password), cache: 'no-store' });
    if (response.status === 401) {
      // a host key goes as it is, and fetch refuses a header beyond Latin-1: such a secret is no key to try
      const asHost = /^[\0-\xff]*$/.test(password)
        && await fetch('agents', { headers: { Authorization: `Bearer ${password}` }, cache: 'no-store' });
      if (asHost && asHost.ok) {
        HOST_KEYS.add(password);
        return 'ok';
      }
      return 'wrong';
    }
    if (await answersRoomGone(response)) {
      return 'gone';
    }
    return response.ok ? 'ok' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}

/** What the login form says when a password does not open the room. */
const LOGIN_REFUSALS = {
  wrong: 'That password is not right.',
  gone: 'There is no room at this address (or no longer): check the link, or ask the host for a new one.',
  unreachable: 'The server cannot be reached. Try again.',
};

/**
 * Shows the login form, with a reason when there is one.
 * @param {string} [reason]
 */
function showLogin(reason) {
  $('room').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = reason || '';
  $('login-password').focus();
}

/** Wires the login form: a correct password enters the room. */
function setUpLogin() {
  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const password = $('login-password').value;
    const button = $('login-form').querySelector('button');
    button.disabled = true;
    const verdict = await checkPassword(password);
    button.disabled = false;
    if (verdict === 'ok') {
      sessionStorage.setItem(PASSWORD_KEY, password);
      $('login-password').value = '';
      enterRoom(password);
    } else {
      showLogin(LOGIN_REFUSALS[verdict]);
    }
  });
}

/**
 * The room, once the password is known.
 */
class Room {
  /** @param {string} password */
  constructor(password) {
    this.password = password;
    this.replyTo = null;
    /** whether the host muted the name this page posts under (Send is off meanwhile) */
    this.muted = false;
    this.unread = 0;
    this.unreadForMe = false;
    this.nameInput = $('name');
    this.messageInput = $('message');
    this.nameInput.value = localStorage.getItem(NAME_KEY) || '';
    /** the tokens of the names this browser holds in this room */
    this.held = new HeldNames(ROOM_PATH);
    /** @type {Set<string>} the names (lower case) this page has followed the room under: its own reads list them */
    this.followedNames = new Set();
    this.timeline = new Timeline($('log'), $('jump'), {
      reader: () => this.name(),
      onReply: (message) => this.startReply(message),
      onAck: (message) => this.ack(message),
      onChange: () => this.showCount(),
    });
    this.history = new History($('log'), this.timeline, {
      headers: () => authHeaders(this.password),
      onUnauthorized: () => this.refused(),
    });
    this.search = new Search($('search'), $('search-input'), $('results'), {
      headers: () => authHeaders(this.password),
      onUnauthorized: () => this.refused(),
      jump: (id, term) => this.jumpTo(id, term),
    });
    this.people = new People($('people-list'), $('online-count'), {
      moderate: (name, action) => this.moderate(name, action),
      changed: () => this.checkName(),
    });
    this.streamed = new StreamedState();
    this.peopleLists = new NewestAnswer();
    this.hostTools = new HostTools({
      hostHeaders: () => authHeaders(this.password), encoded: encodedSecret, secret: () => this.password,
      onTopic: (topic) => this.streamed.event(() => this.showTopic(topic)),
    });
    this.coordination = new Coordination({
      banner: $('brake'), bannerText: $('brake-text'), release: $('brake-release'),
      claims: $('claims-list'), claimsTitle: $('claims-title'),
    }, {
      headers: () => authHeaders(this.password),
      asPerson: (path, body) => this.asPerson(path, body),
      onError: (text) => { $('composer-error').textContent = text; },
      news: (apply) => this.streamed.event(apply),
    });
    this.connection = new Connection({
      password: () => this.password,
      headers: () => authHeaders(this.password),
      followHeaders: () => this.followHeaders(),
      onTokenRefused: () => this.dropFollowToken(),
      renewSession: () => this.renewSession(),
      agent: () => this.followedName(),
      cursor: () => this.timeline.cursor,
      newest: () => this.timeline.newest,
      isKnown: (message) => this.timeline.holds(message),
      onRestart: () => {
        // the restarted server forgot our session: the next renewal must not wait its turn
        this.sessionAt = 0;
        this.timeline.startGeneration();
      },
      onMessage: (message) => {
        if (this.timeline.accept(message, true)) {
          this.people.spoke(message.agent, message.timestamp);
          this.checkName();
          this.countUnread(message);
          this.soonRefresh();
        }
      },
      onPresence: (change) => this.people.change(change),
      onFirstPage: (messages, more) => this.history.opened(messages, more),
      onTopic: (topic) => this.streamed.event(() => this.showTopic(topic)),
      onTruncated: (info) => this.timeline.notice(
        `Older messages are no longer kept (history starts at #${info.oldest}).`),
      onState: (state, transport, reason) => this.showState(state, transport, reason),
      onAck: (ack) => this.streamed.event(() => this.timeline.acked(ack)),
      onClaim: (event) => this.streamed.event(() => this.coordination.claimEvent(event)),
      onBrake: (brake) => this.streamed.event(() => this.coordination.showBrake(brake)),
      onModeration: (change) => this.moderated(change),
      onConnected: () => {
        this.refreshPeople();
        this.refreshRoom();
        if (this.connectedBefore) {
          this.refreshAcks(); // given while the page was away
        }
        this.connectedBefore = true;
      },
      onUnauthorized: () => this.refused(),
      onKicked: (blockedUntil) => this.removed(blockedUntil),
      onGone: () => this.gone(),
    });
  }

  /** @returns {string} the reader's display name, trimmed ('' if none yet) */
  name() {
    return this.nameInput.value.trim();
  }

  /**
   * The name the page reads the room under, noted as one of its own: the room lists a reader's name,
   * and the page's own reads must not pass for someone else using it.
   * @returns {string}
   */
  followedName() {
    const name = this.name();
    if (name) {
      this.followedNames.add(name.toLowerCase());
    }
    return name;
  }

  /** Shows the room and starts following it. */
  start() {
    $('topic').addEventListener('click', () => $('topic').classList.toggle('open'));
    this.held.answerOtherTabs();
    this.wireComposer();
    this.wireExport();
    this.wirePeopleToggle();
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) {
        this.clearUnread();
      }
    });
    this.resume(this.password);
  }

  /**
   * Shows the room and follows it with this password (again, after a new login).
   * @param {string} password
   */
  async resume(password) {
    this.password = password;
    $('login').hidden = true;
    $('room').hidden = false;
    await this.openSession();
    this.connection.start();
    this.peopleTimer = setInterval(() => {
      this.refreshPeople();
      if (this.polling()) {
        this.refreshRoom();
        this.refreshAcks();
      }
      if (this.role === 'host') {
        this.hostTools.listRooms(); // rooms made or ended elsewhere (the CLI, another page) show here too
      }
    }, configuredMs('peopleRefreshMs', PEOPLE_REFRESH_MS));
    // on touch screens focusing would pop the keyboard up over the conversation
    if (!window.matchMedia('(hover: none)').matches) {
      (this.name() ? this.messageInput : this.nameInput).focus();
    }
  }

  /**
   * Asks for the room's session cookie (HttpOnly, this room's path only): the stream, which cannot
   * send headers, authenticates with it. An observer's session shows no composer, and no Ack or ↩ on
   * the messages (`read-only`).
   */
  async openSession() {
    try {
      let response = await fetch('session', {
        method: 'POST',
        headers: this.followHeaders(),
        credentials: 'same-origin',
      });
      if (response.status === 401 && this.dropFollowToken()) {
        // the name's token ended (it expired, or was given up elsewhere): the password follows until it is held again
        response = await fetch('session', { method: 'POST', headers: authHeaders(this.password), credentials: 'same-origin' });
      }
      if (response.ok) {
        this.sessionAt = Date.now();
        const session = await response.json().catch(() => ({}));
        this.role = session.role === 'holder' ? 'member' : (session.role || 'member');
        $('composer').hidden = this.role === 'observer';
        $('watching').hidden = this.role !== 'observer';
        $('room').classList.toggle('read-only', this.role === 'observer');
        this.people.setHost(this.role === 'host');
        this.hostTools.setHost(this.role === 'host');
      }
    } catch {
      // the connection reports the server as unreachable; it follows once the server is back
    }
  }

  /**
   * Asks for the session cookie again before the stream reconnects (a restarted server forgot it),
   * at most every few seconds.
   * @returns {Promise<void>}
   */
  async renewSession() {
    if (Date.now() - (this.sessionAt || 0) < configuredMs('sessionRenewMs', SESSION_RENEW_MS)) {
      return;
    }
    await this.openSession();
  }

  /**
   * The host's kick, mute and unmute of a name (POST/DELETE agents/NAME/kick|mute).
   * @param {string} name
   * @param {'kick'|'mute'|'unmute'} action
   */
  async moderate(name, action) {
    // a kick cannot be undone until the block ends: asked first, as ending a room is
    if (action === 'kick' && !window.confirm(`Kick ${name}? Its token is revoked and the name is blocked for a while; `
      + 'its messages stay.')) {
      return;
    }
    const path = `agents/${encodeURIComponent(name)}/${action === 'kick' ? 'kick' : 'mute'}`;
    const response = await fetch(path, { method: action === 'unmute' ? 'DELETE' : 'POST', headers: authHeaders(this.password) });
    if (!response.ok) {
      const result = await response.json().catch(() => ({}));
      $('composer-error').textContent = result.error || `The server answered ${response.status}.`;
    }
    await this.refreshPeople();
  }

  /**
   * What the page follows the room with (its session, its polls): the token of the name this tab
   * holds, since only a name's token makes a held name present and moves its read receipt (the
   * password alone reads as nobody under a held name); else the password, or the host's key, which
   * keeps the host's tools.
   * @returns {Record<string, string>}
   */
  followHeaders() {
    const token = this.followToken();
    return token ? { Authorization: `Bearer ${token}` } : authHeaders(this.password);
  }

  /** @returns {string|null} the token of the name this tab holds, when it follows with it (not the host's page) */
  followToken() {
    return HOST_KEYS.has(this.password) || !this.name() ? null : this.held.of(this.name());
  }

  /**
   * Forgets the token the page follows with, which the room no longer takes.
   * @returns {boolean} whether there was one: the password follows from now on
   */
  dropFollowToken() {
    const followed = this.followToken() !== null;
    this.held.forget(this.name());
    return followed;
  }

  /**
   * Gives up the names this tab holds in this room other than the one in the name field now (DELETE
   * join with each one's token), as `agent-chat leave` does: a person who renames leaves the old name
   * free for others instead of holding it until it goes unused for a day.
   */
  releaseOtherNames() {
    for (const token of this.held.takeAllBut(this.name())) {
      // a token that ended meanwhile holds nothing either: no answer needs handling
      fetch('join', { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } }).catch(() => {});
    }
  }

  /**
   * Warns, under the name field, when the name is one someone else is using: held (the server refuses
   * it: another name is needed), or one an agent posts under without holding it (the person would pass
   * for the agent in the conversation), or one the room's list gives for someone else who does not hold
   * it (an agent that only listens under it, never having posted). A name this browser holds is the
   * person's own: nothing to say.
   */
  checkName() {
    const name = this.name();
    const ours = !name || this.held.of(name) || this.held.remembered(name);
    const holder = ours ? null : this.people.holder(name);
    const warning = $('name-warning');
    if (holder) {
      warning.textContent = `${name} is held by ${kindName(holder)} in this room: pick another name.`;
    } else if (!ours && this.timeline.agentPostedAs(name)) {
      warning.textContent = `An agent is posting as ${name}: your messages would look like its. Pick another name.`;
    } else if (!ours && this.people.usedUnheld(name)) {
      warning.textContent = `Someone in this room, such as an agent, uses ${name} without holding it: your messages would look like theirs. Pick another name.`;
    } else {
      warning.textContent = '';
    }
    this.nameInput.setAttribute('aria-invalid', String(Boolean(holder)));
  }

  /**
   * Holds the display name as a person's (POST join, kind human), once per name and tab; the token
   * then posts the messages, verified. Null with the reason shown when the name cannot be held.
   * @returns {Promise<string|null>}
   */
  async claim() {
    const saved = this.held.of(this.name());
    if (saved) {
      return saved;
    }
    const token = await this.claimAnew();
    if (token && this.followToken()) {
      // follow as the name's holder from now on, so the room shows it present (see followHeaders)
      this.sessionAt = 0;
      this.renewSession().then(() => this.connection.restart());
    }
    return token;
  }

  /**
   * POST join for the name; a name this browser holds in another tab is handed over by that tab.
   * @returns {Promise<string|null>} as claim's
   */
  async claimAnew() {
    const response = await fetch('join', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...authHeaders(this.password) },
      body: JSON.stringify({ agent: this.name(), kind: 'human' }),
    });
    const result = await response.json().catch(() => ({}));
    if (roomGone(response.status, result)) {
      this.gone();
      return null;
    }
    if (response.status === 404) {
      return ''; // an older server: names cannot be held, the password alone posts
    }
    if (response.status === 403 && result.code === 'kicked') {
      this.removed(result.blocked_until);
      return null;
    }
    if (response.status === 401) {
      this.refused();
      return null;
    }
    if (response.status === 403 && result.code === 'name_claimed') {
      // held by this browser: in another tab, or in one closed since (a token that ended fails the post, and is forgotten)
      const handed = await this.held.fromOtherTabs(this.name()) || this.held.remembered(this.name());
      if (handed) {
        this.held.keep(this.name(), handed);
        return handed;
      }
    }
    if (!response.ok) {
      $('composer-error').textContent = response.status === 403 && result.code === 'name_claimed'
        ? `The name ${this.name()} is held in this room by someone else: pick another. Your text is still here.`
        : (result.error || `The server answered ${response.status}.`);
      return null;
    }
    this.held.keep(this.name(), result.token);
    return result.token;
  }

  /**
   * POSTs as the person at this page, who must have a name to hold (as asHolder); null, with the
   * reason shown, when there is none yet.
   * @param {string} path relative to the room
   * @param {object} body
   * @returns {Promise<{response: Response, result: any, refused: boolean}|null>} as asHolder's
   */
  async asPerson(path, body) {
    if (!this.name()) {
      $('composer-error').textContent = 'Pick a name first.';
      this.nameInput.focus();
      return null;
    }
    return this.asHolder(path, body);
  }

  /**
   * POSTs as the name this page holds (see postAsHolder). A token the server refuses (`401`: the claim
   * expired or was given up elsewhere, or a restarted server no longer knows it) did nothing, so the
   * name is held anew and the same request made once more: nothing is done twice.
   * @param {string} path relative to the room
   * @param {object} body
   * @returns {Promise<{response: Response, result: any, refused: boolean}|null>} as postAsHolder's
   */
  async asHolder(path, body) {
    const answer = await this.postAsHolder(path, body);
    return answer?.refused ? this.postAsHolder(path, body) : answer;
  }

  /**
   * POSTs with the token of the name this page holds (claimed first when this tab has none; the
   * password alone on an older server, which holds no names). A refused token is forgotten.
   * @param {string} path relative to the room
   * @param {object} body
   * @returns {Promise<{response: Response, result: any, refused: boolean}|null>} the answer and its
   *   JSON, `refused` when the token was refused; null when the name could not be held (the reason is shown)
   */
  async postAsHolder(path, body) {
    const token = await this.claim();
    if (token === null) {
      return null;
    }
    const headers = { 'Content-Type': 'application/json', ...authHeaders(this.password) };
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
    const result = await response.json().catch(() => ({}));
    const refused = response.status === 401 && token !== '';
    if (refused) {
      this.held.forget(this.name());
    }
    return { response, result, refused };
  }

  /**
   * Why a request failed when even the name held anew was refused: a sentence.
   * @param {{error?: string}} result the server's answer
   * @returns {string}
   */
  notHeldAgain(result) {
    const why = (result.error || 'its token was refused').replace(/\.$/, '');
    return `The name ${this.name()} could not be held again (${why}).`;
  }

  /** Back to the login form, saying which secret stopped working: the room password or the host's key. */
  refused() {
    this.leave(HOST_KEYS.has(this.password) ? HOST_KEY_CHANGED : PASSWORD_CHANGED);
  }

  /**
   * Back to the login form (the password stopped working).
   * @param {string} reason
   */
  leave(reason) {
    this.connection.stop();
    clearInterval(this.peopleTimer);
    sessionStorage.removeItem(PASSWORD_KEY);
    showLogin(reason);
  }

  /**
   * The host kicked the reader's name: the page stops following the room and says so, instead of
   * reconnecting to be refused again, with until when the name is blocked when the server said.
   * @param {string} [blockedUntil] the refusal's `blocked_until`
   */
  removed(blockedUntil) {
    const until = blockedUntil && !Number.isNaN(Date.parse(blockedUntil))
      ? `until ${localTime(blockedUntil).short}` : 'for a while';
    const notice = this.end('removed',
      `The host removed you (${this.name()}) from this room; the name is blocked ${until}.`);
    if (blockedUntil) {
      notice.title = `Blocked until ${localTime(blockedUntil).full}`;
    }
  }

  /**
   * The room no longer exists (`404` `room_not_found`: its server restarted without it, or nobody used
   * it for its TTL): the page stops following it and says so, instead of reconnecting to a room that
   * no retry brings back. Anyone may create it again, with another password.
   */
  gone() {
    this.end('gone', 'This room no longer exists.');
  }

  /**
   * Stops following the room for good: the status line and the notice above the conversation say
   * why, and the composer and the export go, since nothing can be sent or made here any more.
   * @param {'removed'|'gone'} state
   * @param {string} text
   * @returns {HTMLElement} the notice
   */
  end(state, text) {
    this.connection.stop();
    clearInterval(this.peopleTimer);
    this.people.unknown();
    this.showState(state, this.connection.transport);
    $('composer').hidden = true;
    $('export').hidden = true; // the transcript is the room's, and went with it
    $('room').classList.add('read-only'); // no Ack or ↩ on the messages either: nothing can be sent here any more
    const notice = $('ended');
    notice.textContent = text;
    notice.hidden = false;
    return notice;
  }

  /** Name field, message box, Enter to send, Shift+Enter for a new line (on a touch screen Enter makes one), replies. */
  wireComposer() {
    // the message box comes after every message's buttons and the people: a keyboard gets there in one step
    $('skip-to-message').addEventListener('click', () => this.messageInput.focus());
    let nameTimer = 0;
    this.nameInput.addEventListener('input', () => {
      localStorage.setItem(NAME_KEY, this.name());
      this.timeline.refreshReader(this.name());
      $('composer-error').textContent = '';
      this.checkName();
      clearTimeout(nameTimer);
      // reconnect with the new name so that presence shows it, and let the old one go (after typing settles)
      nameTimer = setTimeout(() => {
        this.releaseOtherNames();
        this.sessionAt = 0; // the session may stand for the old name's token: the stream reconnects with a new one
        this.connection.restart();
      }, 800);
    });
    this.messageInput.addEventListener('keydown', (event) => {
      // a touch keyboard has no Shift+Enter: there Enter makes a new line and the Send button sends
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !TOUCH.matches) {
        event.preventDefault();
        this.send();
      } else if (event.key === 'Escape' && this.replyTo) {
        this.cancelReply();
      }
    });
    this.messageInput.addEventListener('input', () => this.fitMessageBox());
    $('composer').addEventListener('submit', (event) => {
      event.preventDefault();
      this.send();
    });
    $('reply-cancel').addEventListener('click', () => this.cancelReply());
  }

  /**
   * Shows a message found by the search, loading older history until it is on screen.
   * @param {number} id
   * @param {string} term
   */
  async jumpTo(id, term) {
    if (await this.history.reach(id)) {
      this.timeline.reveal(id, term);
    } else {
      $('composer-error').textContent = `Message #${id} is no longer kept.`;
    }
  }

  /** The export menu: downloads the transcript in the chosen format. */
  wireExport() {
    for (const button of $('export').querySelectorAll('button[data-format]')) {
      button.addEventListener('click', () => this.download(button.dataset.format));
    }
  }

  /**
   * Downloads the room's transcript (`messages/export`) as a file.
   * @param {string} format markdown, jsonl or html
   */
  async download(format) {
    const menu = $('export');
    try {
      const response = await fetch(`messages/export?format=${encodeURIComponent(format)}`, {
        headers: authHeaders(this.password),
        cache: 'no-store',
      });
      if (response.status === 401) {
        this.refused();
        return;
      }
      if (!response.ok) {
        $('composer-error').textContent = `The transcript could not be made (${response.status}).`;
        return;
      }
      const disposition = response.headers.get('Content-Disposition') || '';
      const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] || `transcript.${format}`;
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      menu.open = false;
    } catch {
      $('composer-error').textContent = 'The transcript could not be downloaded: the server cannot be reached.';
    }
  }

  /** On a narrow screen the people list folds away behind a button. */
  wirePeopleToggle() {
    const toggle = $('people-toggle');
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      $('room').classList.toggle('people-open', open);
    });
  }

  /** Grows the message box with its text, up to a limit set in CSS. */
  fitMessageBox() {
    const box = this.messageInput;
    box.style.height = 'auto';
    box.style.height = `${box.scrollHeight}px`;
  }

  /**
   * Starts answering a message: the next message sent carries its id as reply_to.
   * @param {{id: number, agent: string, text: string}} message
   */
  startReply(message) {
    this.replyTo = message.id;
    const who = $('reply-agent');
    who.className = `agent ${colourClass(message.agent)}`;
    who.textContent = message.agent;
    $('reply-snippet').textContent = snippet(message.text);
    $('replying').hidden = false;
    this.messageInput.focus();
  }

  /** Forgets the message being answered. */
  cancelReply() {
    this.replyTo = null;
    $('replying').hidden = true;
    this.messageInput.focus();
  }

  /** Posts the message box's text; shows it at once from the answer (the stream's copy is dropped). */
  async send() {
    const text = this.messageInput.value;
    const error = $('composer-error');
    error.textContent = ''; // a new attempt: the last one's error no longer applies
    if (text.trim() === '') {
      if (text !== '') {
        error.textContent = 'Nothing to send: the message is only spaces.';
      }
      return;
    }
    if (!this.name()) {
      error.textContent = 'Pick a name first.';
      this.nameInput.focus();
      return;
    }
    // a person writes here: the room never brakes people, and a person's message releases the brake
    const body = { agent: this.name(), text, kind: 'human' };
    if (this.replyTo !== null) {
      body.reply_to = this.replyTo;
    }
    if ($('ask-ack').checked) {
      body.ack_requested = true;
    }
    $('send').disabled = true;
    try {
      const answer = await this.asHolder('messages', body);
      if (answer === null) {
        return;
      }
      const { response, result, refused } = answer;
      if (refused) {
        error.textContent = `Not sent: ${this.notHeldAgain(result)} Your text is still here.`;
        return;
      }
      if (response.status === 401) {
        this.refused();
        return;
      }
      if (response.status === 403 && result.code === 'kicked') {
        this.removed(result.blocked_until);
        return;
      }
      if (roomGone(response.status, result)) {
        this.gone();
        return;
      }
      if (!response.ok) {
        const retry = response.headers.get('Retry-After');
        error.textContent = (result.error || `The server answered ${response.status}.`)
          + (response.status === 429 && retry ? ` Try again in ${retry} s.` : '');
        return;
      }
      error.textContent = '';
      this.messageInput.value = '';
      this.fitMessageBox();
      if (this.replyTo !== null) {
        this.cancelReply();
      }
      $('ask-ack').checked = false;
      this.checkName(); // the name is the person's own now
      if (result.message) {
        this.timeline.accept(result.message, false);
        this.people.spoke(result.message.agent, result.message.timestamp);
        this.connection.expectDelivery(result.message.id);
      }
    } catch {
      error.textContent = UNREACHABLE;
    } finally {
      $('send').disabled = this.muted;
      this.messageInput.focus();
    }
  }

  /**
   * Acknowledges a message as the reader ("I have it", without posting).
   * @param {{id: number}} message
   */
  async ack(message) {
    const error = $('composer-error');
    if (!this.name()) {
      error.textContent = 'Pick a name first.';
      this.nameInput.focus();
      return;
    }
    try {
      // as the name this page holds, like its messages
      const answer = await this.asHolder(`messages/${message.id}/ack`, { agent: this.name() });
      if (answer === null) {
        return;
      }
      const { response, result, refused } = answer;
      if (response.ok) {
        error.textContent = '';
        this.streamed.event(() => this.timeline.acked(result)); // newer than any answer under way
      } else {
        error.textContent = refused ? `Not acknowledged: ${this.notHeldAgain(result)}`
          : result.error || `The server answered ${response.status}.`;
      }
    } catch {
      error.textContent = 'The server cannot be reached.';
    }
  }

  /**
   * Asks who is here again shortly (read receipts move as messages are read), once per burst of
   * messages; while polling, the room's topic, brake and claims too.
   */
  soonRefresh() {
    if (this.peopleSoon) {
      return;
    }
    this.peopleSoon = setTimeout(() => {
      this.peopleSoon = 0;
      this.refreshPeople();
      if (this.polling()) {
        this.refreshRoom(); // the loop brake engages on agents' messages
      }
    }, 1000);
  }

  /**
   * Whether the page long-polls (the stream does not get through): the polls bring messages only, so
   * the topic, the loop brake and the claims are asked for after each burst of messages and with each
   * refresh of the people list, and the acknowledgements (the newest page again) with the latter.
   */
  polling() {
    return this.connection.transport === 'poll' && this.connection.state === 'connected';
  }

  /** Asks for the newest page again, for its acknowledgements (the stream's `ack` events, missed). */
  async refreshAcks() {
    await this.streamed.read(() => this.getJson(`messages?limit=${PAGE}`), (page) => {
      for (const message of (page && page.messages) || []) {
        this.timeline.acked({ id: message.id, acks: message.acks || [] });
      }
    });
  }

  /**
   * Fetches what the room says about itself (GET room: its topic and loop brake) and its claims
   * (GET claims), after connecting, after a reconnect and while polling. The claims list is aria-busy meanwhile.
   */
  async refreshRoom() {
    const claimsList = $('claims-list');
    this.roomReads = (this.roomReads || 0) + 1;
    claimsList.setAttribute('aria-busy', 'true');
    try {
      await this.streamed.read(() => Promise.all([this.getJson('room'), this.getJson('claims')]), ([room, claims]) => {
        if (room) {
          this.showTopic(room.topic || null);
          this.coordination.showBrake(room.brake);
        }
        if (claims && Array.isArray(claims.claims)) {
          this.coordination.replaceClaims(claims.claims);
        }
      });
    } finally {
      this.roomReads -= 1;
      claimsList.setAttribute('aria-busy', String(this.roomReads > 0));
    }
  }

  /**
   * @param {string} path relative to the room
   * @returns {Promise<any>} the JSON answer, or null (the connection state already tells the reader why)
   */
  async getJson(path) {
    try {
      const response = await fetch(path, { headers: authHeaders(this.password), cache: 'no-store' });
      return response.ok ? await response.json() : null;
    } catch {
      return null;
    }
  }

  /**
   * Shows the room's topic in the header (hidden when there is none).
   * @param {string|null} topic
   */
  showTopic(topic) {
    this.hostTools.showTopic(topic);
    const line = $('topic');
    line.textContent = topic || '';
    line.title = topic ? `Topic: ${topic}` : '';
    line.hidden = !topic;
  }

  /**
   * The host kicked, muted or unmuted a name: the people list shows it at once (everyone's, not only the
   * host's), and the reader is told when the name is theirs (a kick ends their stream, and says so itself).
   * @param {{agent: string, muted: boolean, blocked_until?: string}} change
   */
  moderated(change) {
    this.refreshPeople();
    if (typeof change?.agent === 'string' && change.agent.toLowerCase() === this.name().toLowerCase()
      && !change.blocked_until) {
      this.timeline.notice(change.muted
        ? 'The host muted you: you can still read, but not post.'
        : 'The host unmuted you: you can post again.');
      this.showMuted(change.muted);
      if (!change.muted) {
        $('composer-error').textContent = ''; // the mute's refusal no longer holds
      }
    }
  }

  /** Fetches who is here (GET /agents). */
  async refreshPeople() {
    const askedAt = Date.now();
    const own = new Set(this.followedNames);
    // refreshes overlap (after a message, a moderation, a timer): an older answer never replaces a newer one
    await this.peopleLists.read(async () => {
      const answer = await this.getJson('agents');
      return answer && (answer.agents || []);
    }, (agents) => {
      this.people.replace(agents, askedAt, own);
      this.timeline.showSeen(this.people.everyone());
      const me = agents.find((agent) => agent.name.toLowerCase() === this.name().toLowerCase());
      this.showMuted(Boolean(me?.muted));
    });
  }

  /**
   * The host muted this page's name, or unmuted it: Send is off while it lasts and the message box
   * says why, so a person learns it before writing rather than after sending.
   * @param {boolean} muted
   */
  showMuted(muted) {
    this.muted = muted;
    $('send').disabled = muted;
    this.messageInput.placeholder = muted ? 'The host muted you: you can read, not post' : 'Message the room';
  }

  /**
   * @param {string} state
   * @param {string} transport
   * @param {string} [reason] why, when the server said (a busy or full server's reason), cut short with …
   *   when the line is narrow (whole in its tooltip)
   */
  showState(state, transport, reason = '') {
    if (state === 'connected' && $('composer-error').textContent === UNREACHABLE) {
      $('composer-error').textContent = ''; // the text is still in the box, to send again
    }
    const status = $('status');
    status.dataset.state = state;
    status.dataset.transport = transport;
    const via = state === 'connected' ? (transport === 'poll' ? ' · polling' : ' · live') : '';
    const why = document.createElement('span');
    why.className = 'why';
    why.textContent = ` ${reason}`;
    status.replaceChildren(STATE_TEXT[state] + via, ...(reason ? [why] : []));
    status.title = reason || (state === 'connected' && transport === 'poll'
      ? 'The live stream is not getting through; following the room by polling instead.'
      : '');
  }

  /**
   * While the tab is in the background, the page title counts new messages ("(3) agent-chat"),
   * with a mark when one of them concerns the reader.
   * @param {{agent: string, mentions?: string[], to?: string[]}} message
   */
  countUnread(message) {
    if (!document.hidden || message.agent.toLowerCase() === this.name().toLowerCase()) {
      return;
    }
    this.unread += 1;
    this.unreadForMe ||= concerns(message, this.name());
    document.title = `(${this.unread}${this.unreadForMe ? '!' : ''}) ${TITLE}`;
  }

  /** The reader came back to the tab: the title stops counting. */
  clearUnread() {
    this.unread = 0;
    this.unreadForMe = false;
    document.title = TITLE;
  }

  /** Shows how many messages the room has had, not only those loaded: its newest id. */
  showCount() {
    const total = this.timeline.newest;
    $('count').textContent = total === 1 ? '1 message' : `${total} messages`;
  }
}

/** @type {Room|null} the room, once entered (entering again after a new login reuses it) */
let room = null;

/**
 * Enters the room with a password known to work.
 * @param {string} password
 */
function enterRoom(password) {
  if (room === null) {
    room = new Room(password);
    room.start();
  } else {
    room.resume(password);
  }
}

/** Starts the page: the room if the password is known and right, otherwise the login form. */
async function main() {
  setUpLogin();
  const password = takePasswordFromLink();
  if (!password) {
    showLogin();
    return;
  }
  const verdict = await checkPassword(password);
  if (verdict === 'wrong') {
    sessionStorage.removeItem(PASSWORD_KEY);
    showLogin(LOGIN_REFUSALS.wrong);
  } else {
    // when the server is unreachable, the room shows "reconnecting" and catches up once it is back
    enterRoom(password);
  }
}

main();
