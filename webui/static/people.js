import { heldMark, kindMark, kindName, mark } from './marks.js';
import { colourClass, localTime, placeRows } from './render.js';

/**
 * @typedef {object} Person
 * @property {string} name
 * @property {boolean} online
 * @property {string} [last_seen]
 * @property {number} [read_up_to] the newest message id it has read
 * @property {boolean} [waiting] a long-poll or stream of its is open: a new message reaches it at once
 * @property {boolean} [verified] someone holds the name (with a token)
 * @property {string} [kind] `agent` or `human`, for a held name
 * @property {boolean} [muted] the host muted the name
 * @property {string} [blocked_until] the host kicked the name: it is blocked until then
 * @property {number} [changedAt] when a presence event last changed this entry (Date.now())
 */

/** What only the server's list knows about a name: a presence event never changes it. */
const HELD = ['verified', 'kind', 'muted', 'blocked_until'];

/**
 * Until when a person's name is blocked, while it still is.
 * @param {Person} person
 * @returns {number|null} the end of the block (ms since the epoch), or null when not blocked now
 */
export function blockedUntil(person) {
  const until = person.blocked_until ? Date.parse(person.blocked_until) : NaN;
  return until > Date.now() ? until : null;
}

/**
 * Who is in the room: everyone who spoke or listened, online ones first. Fed by GET /agents,
 * the stream's presence events, and the messages themselves.
 */
export class People {
  /**
   * @param {HTMLElement} list the list element
   * @param {HTMLElement} onlineCount where the number of people online is shown
   * @param {{moderate: (name: string, action: string) => void, changed: () => void}} [hooks] the host's
   *   kick and mute; the list was drawn again
   */
  constructor(list, onlineCount, hooks = { moderate: () => {}, changed: () => {} }) {
    this.list = list;
    this.onlineCount = onlineCount;
    this.hooks = hooks;
    /** whether the reader is the host, who may kick and mute */
    this.host = false;
    /** @type {Map<string, Person>} by lower-case name */
    this.people = new Map();
    /** whether the page stopped following the room (unknown): who is online is no longer known */
    this.ended = false;
    /**
     * The names (lower case) the server's list gives for someone other than this page. A name the page
     * follows the room under is listed for the page's own reads too, so it is someone else's only if it
     * was listed before the page took it.
     * @type {Set<string>}
     */
    this.othersNames = new Set();
    /** @type {Map<string, HTMLLIElement>} each name's row in the list, by lower-case name */
    this.rows = new Map();
  }

  /**
   * Takes the server's full list (GET /agents). A presence event that arrived after the list was
   * asked for is newer than the list, so it wins.
   * @param {Person[]} agents
   * @param {number} askedAt when the list was requested (Date.now())
   * @param {Set<string>} [own] the names (lower case) this page had followed the room under by then
   */
  replace(agents, askedAt, own = new Set()) {
    if (this.ended) {
      return; // an answer asked for before the page stopped following: nobody shows online any more
    }
    const newer = [...this.people.values()].filter((person) => person.changedAt > askedAt);
    this.people.clear();
    const others = new Set();
    for (const agent of agents) {
      const key = agent.name.toLowerCase();
      this.people.set(key, { ...agent });
      if (!own.has(key) || this.othersNames.has(key)) {
        others.add(key);
      }
    }
    this.othersNames = others;
    for (const person of newer) {
      // the presence event is newer about who is online; the list alone says who holds, is muted or kicked
      const key = person.name.toLowerCase();
      const listed = this.people.get(key) || {};
      const merged = { ...person };
      for (const field of HELD) {
        if (listed[field] === undefined) {
          delete merged[field];
        } else {
          merged[field] = listed[field];
        }
      }
      // an online name is waiting if the event said so (it opened a stream or poll) or the list does;
      // how far it has read only the list says
      merged.waiting = Boolean(merged.online && (person.waiting || listed.waiting));
      if (listed.read_up_to !== undefined) {
        merged.read_up_to = listed.read_up_to;
      }
      this.people.set(key, merged);
    }
    this.show();
  }

  /**
   * Shows (or hides) the host's kick and mute buttons.
   * @param {boolean} host
   */
  setHost(host) {
    this.host = host;
    this.show();
  }

  /** The page stopped following the room: who is online is no longer known, so nobody shows online and no count is shown. */
  unknown() {
    this.ended = true;
    for (const person of this.people.values()) {
      person.online = false;
      person.waiting = false;
    }
    this.show();
    this.onlineCount.textContent = '–';
    this.onlineCount.dataset.count = '0';
    this.onlineCount.title = 'Not following the room any more';
  }

  /**
   * Someone came online or went away.
   * @param {{agent: string, state: string}} change
   */
  change(change) {
    if (!change || typeof change.agent !== 'string' || this.ended) {
      return;
    }
    const person = this.get(change.agent);
    person.online = change.state === 'joined';
    // a name joins when its first stream or poll opens and leaves when its last closes: waiting, then not
    person.waiting = person.online;
    person.last_seen = new Date().toISOString();
    person.changedAt = Date.now();
    this.show();
  }

  /**
   * Someone spoke: they are in the list (a speaker is not necessarily still online).
   * @param {string} name
   * @param {string} timestamp
   */
  spoke(name, timestamp) {
    const known = this.people.has(name.toLowerCase());
    const person = this.get(name);
    if (!person.last_seen || timestamp > person.last_seen) {
      person.last_seen = timestamp;
    }
    if (!known) {
      this.show();
    }
  }

  /**
   * The entry for a name, created when new.
   * @param {string} name
   * @returns {Person}
   */
  get(name) {
    const key = name.toLowerCase();
    if (!this.people.has(key)) {
      this.people.set(key, { name, online: false });
    }
    return this.people.get(key);
  }

  /**
   * Who holds a name, as the server's list last said.
   * @param {string} name
   * @returns {string|null} the holder's kind (`human` or `agent`), or null when nobody holds it
   */
  holder(name) {
    const person = this.people.get(name.toLowerCase());
    return person?.verified ? person.kind || 'agent' : null;
  }

  /**
   * Whether someone other than this page reads or posts under a name nobody holds, as the server's
   * list last said (an agent that only listens under it shows there too, though it never posted).
   * @param {string} name
   * @returns {boolean}
   */
  usedUnheld(name) {
    const key = name.toLowerCase();
    return this.othersNames.has(key) && !this.people.get(key)?.verified;
  }

  /** @returns {Person[]} everyone, as last known */
  everyone() {
    return [...this.people.values()];
  }

  /**
   * Redraws the list: online first, then by name. A name the host kicked is shown removed (greyed,
   * "removed until 14:05") while its block lasts, whatever its presence says, and as before once it ends.
   * Each name keeps its row and the host's buttons in it, so a redraw (after every message, a mute, the
   * timer) leaves the keyboard's focus where it was: on "Unmute ann" once "Mute ann" did its work.
   */
  show() {
    clearTimeout(this.blockTimer);
    const here = (person) => Boolean(person.online) && blockedUntil(person) === null;
    const everyone = [...this.people.values()].sort((a, b) =>
      Number(here(b)) - Number(here(a)) || a.name.localeCompare(b.name));
    for (const key of this.rows.keys()) {
      if (!this.people.has(key)) {
        this.rows.delete(key);
      }
    }
    placeRows(this.list, everyone.map((person) => this.row(person)));
    // shown as before once the first block still shown ends
    const ends = everyone.map(blockedUntil).filter((until) => until !== null);
    if (ends.length) {
      this.blockTimer = setTimeout(() => this.show(), Math.min(...ends) - Date.now() + 100);
    }
    const online = everyone.filter(here).length;
    this.onlineCount.textContent = String(online);
    this.onlineCount.dataset.count = String(online);
    this.hooks.changed();
  }

  /**
   * A person's row, brought up to date: the one the name already has (its buttons kept), or a new one.
   * @param {Person} person
   * @returns {HTMLLIElement}
   */
  row(person) {
    const key = person.name.toLowerCase();
    let li = this.rows.get(key);
    if (!li) {
      li = document.createElement('li');
      this.rows.set(key, li);
    }
    const blocked = blockedUntil(person);
    li.className = blocked !== null ? 'person blocked' : person.online ? 'person online' : 'person';
    const seen = [];
    if (person.last_seen) {
      seen.push(`Last seen ${localTime(person.last_seen).full}`);
    }
    if (typeof person.read_up_to === 'number') {
      seen.push(`read up to #${person.read_up_to}`);
    }
    const details = blocked !== null ? [`Removed by the host until ${localTime(person.blocked_until).full}`, ...seen] : seen;
    // who it is stays together on one line; the host's buttons go beside it, or below when it is long
    const who = document.createElement('span');
    who.className = 'who';
    const dot = document.createElement('span');
    dot.className = 'dot';
    dot.setAttribute('aria-hidden', 'true');
    const name = document.createElement('span');
    name.className = `agent ${colourClass(person.name)}`;
    name.textContent = person.name;
    // a long name is cut short with an ellipsis: its tooltip has it whole
    name.title = [person.name, ...details].join(', ');
    // what the tooltip says, said to a screen reader too (a tooltip needs a mouse)
    const state = document.createElement('span');
    state.className = 'visually-hidden';
    state.textContent = ` (${[blocked !== null ? 'removed by the host' : person.online ? 'online' : 'away', ...seen].join('; ')})`;
    who.append(dot, name, state);
    if (person.verified) {
      who.append(kindMark(person.kind), heldMark(`${person.name} is held by ${kindName(person.kind)}`));
    }
    if (person.muted) {
      who.append(mark('muted', 'muted by the host', `The host muted ${person.name}: it reads but cannot post`));
    }
    if (person.waiting) {
      who.append(mark('waiting', 'waiting for messages', 'Waiting for messages: a new one reaches it at once'));
    }
    const shown = li.querySelector(':scope > .who');
    if (shown) {
      shown.replaceWith(who);
    } else {
      li.prepend(who);
    }
    let tools = li.querySelector(':scope > .moderation');
    if (this.host && !tools) {
      tools = document.createElement('span');
      tools.className = 'moderation';
      for (let i = 0; i < 2; i += 1) {
        const button = document.createElement('button');
        button.type = 'button';
        button.addEventListener('click', () => this.hooks.moderate(button.dataset.name, button.dataset.action));
        tools.append(button);
      }
      who.after(tools);
    } else if (!this.host && tools) {
      tools.remove();
      tools = null;
    }
    if (tools) {
      // the same two buttons, Mute turned Unmute and back: one with the focus keeps it
      [person.muted ? 'unmute' : 'mute', 'kick'].forEach((action, i) => {
        const button = tools.children[i];
        button.className = `moderate ${action}`;
        button.textContent = action === 'kick' ? 'Kick' : action === 'mute' ? 'Mute' : 'Unmute';
        button.setAttribute('aria-label', `${button.textContent} ${person.name}`);
        button.dataset.name = person.name;
        button.dataset.action = action;
      });
    }
    li.querySelector(':scope > .blocked-until')?.remove();
    if (blocked !== null) {
      // on a line of its own below the name, which keeps its room
      const note = document.createElement('span');
      note.className = 'blocked-until';
      note.textContent = `removed until ${localTime(person.blocked_until).short}`;
      note.title = `The host removed ${person.name}: the name is blocked until ${localTime(person.blocked_until).full}`;
      li.append(note);
    }
    if (details.length) {
      li.title = details.join(', ');
    } else {
      li.removeAttribute('title');
    }
    return li;
  }
}
