import { Composer } from './composer.js';
import { Connection, PAGE, configuredMs, unreachable } from './connection.js';
import { Coordination } from './coordination.js';
import { History } from './history.js';
import { HostTools } from './host.js';
import { Identity } from './identity.js';
import { authHeaders, encodedSecret, forgetPassword, isHostKey, logIn, showLogin } from './login.js';
import { People } from './people.js';
import { Search } from './search.js';
import { NewestAnswer, StreamedState } from './streamed.js';
import { concerns, localTime } from './render.js';
import { Timeline } from './timeline.js';

/** The page title, which counts unread messages while the tab is hidden. */
const TITLE = document.title;
/** The name `GET room` gives the server's own room, which the page calls by the title alone. */
const SERVER_ROOM = '~server';
/** The session cookie is asked for again at most this often (before a stream reconnects). */
const SESSION_RENEW_MS = 3000;
/** How often the list of people is refreshed (online status of pollers changes silently). */
const PEOPLE_REFRESH_MS = 30000;
/** Why the page goes back to the login form when the password it holds stops working. */
const PASSWORD_CHANGED = 'The room password has changed. Enter the new one.';
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
 * The room, once the password is known: wires the page's parts together (who the person is, the
 * composer, the conversation and its history, the people, the host's tools, the coordination panels)
 * and keeps them fed from the connection and the room's own answers.
 */
class Room {
  /** @param {string} password */
  constructor(password) {
    this.password = password;
    this.unread = 0;
    this.unreadForMe = false;
    /** the page's title without the unread count: a named room's name, then agent-chat */
    this.title = TITLE;
    this.identity = new Identity({ name: $('name'), warning: $('name-warning') }, {
      secret: () => this.password,
      others: {
        holder: (name) => this.people.holder(name),
        usedUnheld: (name) => this.people.usedUnheld(name),
        agentPostedAs: (name) => this.timeline.agentPostedAs(name),
      },
      onError: (text) => this.composer.say(text),
      onRefused: () => this.refused(),
      onKicked: (blockedUntil) => this.removed(blockedUntil),
      onGone: () => this.gone(),
      onHeld: () => this.followAnew(),
    });
    this.composer = new Composer({
      form: $('composer'), message: $('message'), send: $('send'), error: $('composer-error'),
      askAck: $('ask-ack'), skip: $('skip-to-message'), replying: $('replying'), replyAgent: $('reply-agent'),
      replySnippet: $('reply-snippet'), replyCancel: $('reply-cancel'),
    }, this.identity, {
      onSent: (message) => {
        this.timeline.accept(message, false);
        this.people.spoke(message.agent, message.timestamp);
        this.connection.expectDelivery(message.id);
      },
      onAcked: (ack) => this.streamed.event(() => this.timeline.acked(ack)), // newer than any answer under way
      onRefused: () => this.refused(),
      onKicked: (blockedUntil) => this.removed(blockedUntil),
      onGone: () => this.gone(),
    });
    this.timeline = new Timeline($('log'), $('jump'), $('announcer'), {
      reader: () => this.identity.name(),
      onReply: (message) => this.composer.startReply(message),
      onAck: (message) => this.composer.ack(message),
      onChange: () => this.showCount(),
      goTo: (id) => this.jumpTo(id),
      trimmed: () => this.history.trimmed(),
    });
    this.history = new History($('log'), this.timeline, {
      headers: () => authHeaders(this.password),
      onUnauthorized: () => this.refused(),
    });
    this.search = new Search($('search'), $('search-input'), $('results'), {
      headers: () => authHeaders(this.password),
      onUnauthorized: () => this.refused(),
      jump: (id, term) => this.jumpTo(id, term),
      closedOnChoosing: () => $('log').focus({ preventScroll: true }),
    });
    this.people = new People($('people-list'), $('online-count'), {
      moderate: (name, action) => this.moderate(name, action),
      changed: () => this.identity.check(),
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
      isHost: () => isHostKey(this.password),
      asPerson: (path, body) => this.identity.asPerson(path, body),
      refusedAs: (answer, what) => this.composer.refusedAs(answer, what),
      onError: (text) => this.composer.say(text),
      news: (apply) => this.streamed.event(apply),
    });
    this.connection = new Connection({
      password: () => this.password,
      headers: () => authHeaders(this.password),
      followHeaders: () => this.identity.followHeaders(),
      onTokenRefused: () => this.identity.dropFollowToken(),
      renewSession: () => this.renewSession(),
      agent: () => this.identity.followedName(),
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
          this.composer.arrived(message);
          this.people.spoke(message.agent, message.timestamp);
          this.identity.check();
          this.countUnread(message);
          this.soonRefresh();
        }
      },
      onPresence: (change) => this.people.change(change),
      onFirstPage: (messages, more) => {
        this.opened();
        this.history.opened(messages, more);
      },
      onTopic: (topic) => this.streamed.event(() => this.showTopic(topic)),
      onTruncated: (info) => this.timeline.notice(
        `Older messages are no longer kept (history starts at #${info.oldest}).`),
      onState: (state, transport, reason) => this.showState(state, transport, reason),
      onAck: (ack) => this.streamed.event(() => this.timeline.acked(ack)),
      onClaim: (event) => this.streamed.event(() => this.coordination.claimEvent(event)),
      onBrake: (brake) => this.streamed.event(() => this.coordination.showBrake(brake)),
      onModeration: (change) => this.moderated(change),
      onConnected: () => {
        this.opened();
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

  /** Shows the room and starts following it. */
  start() {
    this.wireTopic();
    this.identity.start({
      typed: () => {
        this.timeline.refreshReader(this.identity.name());
        this.composer.say('');
      },
      // follow under the new name, so that presence shows it (the old one was let go)
      settled: () => this.followAnew(),
    });
    this.composer.start();
    this.wireExport();
    this.wirePopups();
    $('log-out').addEventListener('click', () => this.logOut());
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
      this.composer.focus();
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
        headers: this.identity.followHeaders(),
        credentials: 'same-origin',
      });
      if (response.status === 401 && this.identity.dropFollowToken()) {
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
   * Follows the room again under what the page now follows with (a renamed person, a name just
   * held): a new session first, since the old one may stand for another name's token.
   */
  followAnew() {
    this.sessionAt = 0;
    this.renewSession().then(() => this.connection.restart());
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
      this.composer.say(result.error || `The server answered ${response.status}.`);
    }
    await this.refreshPeople();
  }

  /**
   * Logs out on this device (a shared phone): gives up the names this browser holds here, ends the
   * session cookie, forgets the password and the name typed, and shows the login form.
   */
  async logOut() {
    if (!window.confirm('Log out of this room on this device? Your name is given up, so anyone may take it, '
      + 'and the password is forgotten here.')) {
      return;
    }
    this.connection.stop();
    await this.identity.releaseAll();
    await fetch('session', { method: 'DELETE', credentials: 'same-origin' }).catch(() => {});
    this.leave('');
  }

  /** Back to the login form, saying which secret stopped working: the room password or the host's key. */
  refused() {
    this.leave(isHostKey(this.password) ? HOST_KEY_CHANGED : PASSWORD_CHANGED);
  }

  /**
   * Back to the login form (the password stopped working).
   * @param {string} reason
   */
  leave(reason) {
    this.connection.stop();
    clearInterval(this.peopleTimer);
    forgetPassword();
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
      `The host removed you (${this.identity.name()}) from this room; the name is blocked ${until}.`);
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

  /**
   * Shows a message (one found by the search, or the one a reply quotes), loading older history until
   * it is on screen.
   * @param {number} id
   * @param {string} [term] marked in it
   */
  async jumpTo(id, term) {
    if (await this.history.reach(id)) {
      this.timeline.reveal(id, term);
    } else {
      this.composer.say(`Message #${id} is no longer kept.`);
    }
  }

  /**
   * The topic in the header, cut short with … when long: a click, a tap, Enter or Space shows it whole
   * (phones show no tooltip), and again folds it.
   */
  wireTopic() {
    const topic = $('topic');
    const toggle = () => topic.setAttribute('aria-expanded', String(topic.classList.toggle('open')));
    topic.addEventListener('click', toggle);
    topic.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault(); // Space would scroll
        toggle();
      }
    });
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
        this.composer.say(`The transcript could not be made (${response.status}).`);
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
      // the chosen format's button goes with the menu: the focus goes back to Export
      const chosen = menu.contains(document.activeElement);
      menu.open = false;
      if (chosen) {
        menu.querySelector('summary').focus();
      }
    } catch {
      this.composer.say(unreachable('The transcript could not be downloaded'));
    }
  }

  /**
   * On a narrow screen the people list folds away behind a button; opened, it has the focus (it comes
   * after the whole conversation on the page); it, and the export menu, close with Escape (the focus back
   * on the button) or a tap elsewhere. A skip link at the top leads to it.
   */
  wirePopups() {
    const toggle = $('people-toggle');
    const people = $('people');
    const exportMenu = $('export');
    const peopleOpen = () => toggle.getAttribute('aria-expanded') === 'true';
    const showPeople = (open) => {
      toggle.setAttribute('aria-expanded', String(open));
      $('room').classList.toggle('people-open', open);
    };
    toggle.addEventListener('click', () => {
      showPeople(!peopleOpen());
      if (peopleOpen()) {
        people.focus();
      }
    });
    // from the top of the page to the people and the host's tools, past every message
    $('skip-to-people').addEventListener('click', () => {
      if (getComputedStyle(people).display === 'none') {
        showPeople(true); // folded away on a narrow screen
      }
      people.focus();
    });
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') {
        return;
      }
      if (peopleOpen()) {
        showPeople(false);
        toggle.focus();
      }
      if (exportMenu.open) {
        exportMenu.open = false;
        exportMenu.querySelector('summary').focus();
      }
    });
    document.addEventListener('pointerdown', (event) => {
      if (peopleOpen() && !people.contains(event.target) && !toggle.contains(event.target)) {
        showPeople(false);
      }
      if (exportMenu.open && !exportMenu.contains(event.target)) {
        exportMenu.open = false;
      }
    });
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
          this.showName(room.name);
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
   * Shows which room this is: a named room's name in the header and the page's title
   * ("design-review · agent-chat"); the server's own room is agent-chat alone.
   * @param {string} [name] as `GET room` gives it
   */
  showName(name) {
    const named = typeof name === 'string' && name !== '' && name !== SERVER_ROOM;
    const line = $('room-name');
    line.textContent = named ? name : '';
    line.title = named ? `Room: ${name}` : '';
    line.hidden = !named;
    this.title = named ? `${name} · ${TITLE}` : TITLE;
    this.showTitle();
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
    if (typeof change?.agent === 'string' && this.identity.is(change.agent) && !change.blocked_until) {
      this.timeline.notice(change.muted
        ? 'The host muted you: you can still read, but not post.'
        : 'The host unmuted you: you can post again.');
      this.composer.showMuted(change.muted);
      if (!change.muted) {
        this.composer.say(''); // the mute's refusal no longer holds
      }
    }
  }

  /** Fetches who is here (GET /agents). */
  async refreshPeople() {
    const askedAt = Date.now();
    const own = this.identity.ownNames();
    // refreshes overlap (after a message, a moderation, a timer): an older answer never replaces a newer one
    await this.peopleLists.read(async () => {
      const answer = await this.getJson('agents');
      return answer && (answer.agents || []);
    }, (agents) => {
      this.people.replace(agents, askedAt, own);
      this.timeline.showSeen(this.people.everyone());
      const me = agents.find((agent) => this.identity.is(agent.name));
      this.composer.showMuted(Boolean(me?.muted));
    });
  }

  /**
   * @param {string} state
   * @param {string} transport
   * @param {string} [reason] why, when the server said (a busy or full server's reason), cut short with …
   *   when the line is narrow (whole in its tooltip)
   */
  showState(state, transport, reason = '') {
    if (state === 'connected') {
      this.composer.reconnected();
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
    if (!document.hidden || this.identity.is(message.agent)) {
      return;
    }
    this.unread += 1;
    this.unreadForMe ||= concerns(message, this.identity.name());
    this.showTitle();
  }

  /** The reader came back to the tab: the title stops counting. */
  clearUnread() {
    this.unread = 0;
    this.unreadForMe = false;
    this.showTitle();
  }

  /** Puts the room's title on the tab, with the count of unread messages before it when there are any. */
  showTitle() {
    document.title = this.unread > 0 ? `(${this.unread}${this.unreadForMe ? '!' : ''}) ${this.title}` : this.title;
  }

  /** The room has answered: an empty conversation and its count now say what the room holds. */
  opened() {
    this.timeline.opened();
    this.showCount();
  }

  /** Shows how many messages the room has had, not only those loaded: its newest id. */
  showCount() {
    const total = this.timeline.newest;
    $('count').textContent = total === 1 ? '1 message' : `${total} messages`;
  }
}

/** @type {Room|null} the room, once entered (entering again after a new login reuses it) */
let room = null;

logIn((password) => {
  if (room === null) {
    room = new Room(password);
    room.start();
  } else {
    room.resume(password);
  }
});
