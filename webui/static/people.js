import { colourClass, localTime } from './render.js';

/**
 * @typedef {object} Person
 * @property {string} name
 * @property {boolean} online
 * @property {string} [last_seen]
 * @property {number} [read_up_to] the newest message id it has read
 * @property {boolean} [waiting] a long-poll or stream of its is open: a new message reaches it at once
 * @property {number} [changedAt] when a presence event last changed this entry (Date.now())
 */

/**
 * Who is in the room: everyone who spoke or listened, online ones first. Fed by GET /agents,
 * the stream's presence events, and the messages themselves.
 */
export class People {
  /**
   * @param {HTMLElement} list the list element
   * @param {HTMLElement} onlineCount where the number of people online is shown
   * @param {{moderate: (name: string, action: string) => void}} [hooks] the host's kick and mute
   */
  constructor(list, onlineCount, hooks = { moderate: () => {} }) {
    this.list = list;
    this.onlineCount = onlineCount;
    this.hooks = hooks;
    /** whether the reader is the host, who may kick and mute */
    this.host = false;
    /** @type {Map<string, Person>} by lower-case name */
    this.people = new Map();
  }

  /**
   * Takes the server's full list (GET /agents). A presence event that arrived after the list was
   * asked for is newer than the list, so it wins.
   * @param {Person[]} agents
   * @param {number} askedAt when the list was requested (Date.now())
   */
  replace(agents, askedAt) {
    const newer = [...this.people.values()].filter((person) => person.changedAt > askedAt);
    this.people.clear();
    for (const agent of agents) {
      this.people.set(agent.name.toLowerCase(), { ...agent });
    }
    for (const person of newer) {
      this.people.set(person.name.toLowerCase(), person);
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

  /**
   * Someone came online or went away.
   * @param {{agent: string, state: string}} change
   */
  change(change) {
    if (!change || typeof change.agent !== 'string') {
      return;
    }
    const person = this.get(change.agent);
    person.online = change.state === 'joined';
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

  /** @returns {Person[]} everyone, as last known */
  everyone() {
    return [...this.people.values()];
  }

  /** Redraws the list: online first, then by name. */
  show() {
    const everyone = [...this.people.values()].sort((a, b) =>
      Number(b.online) - Number(a.online) || a.name.localeCompare(b.name));
    const items = everyone.map((person) => {
      const li = document.createElement('li');
      li.className = person.online ? 'person online' : 'person';
      // who it is stays together on one line; the host's buttons go beside it, or below when it is long
      const who = document.createElement('span');
      who.className = 'who';
      const dot = document.createElement('span');
      dot.className = 'dot';
      dot.setAttribute('aria-hidden', 'true');
      const name = document.createElement('span');
      name.className = `agent ${colourClass(person.name)}`;
      name.textContent = person.name;
      const state = document.createElement('span');
      state.className = 'visually-hidden';
      state.textContent = person.online ? ' (online)' : ' (away)';
      who.append(dot, name, state);
      if (person.verified) {
        const held = document.createElement('span');
        held.className = 'verified';
        held.textContent = person.kind === 'human' ? ' 👤✓' : ' 🤖✓';
        held.title = `${person.name} is held by ${person.kind === 'human' ? 'a person' : 'an agent'}`;
        who.append(held);
      }
      if (person.waiting) {
        const waiting = document.createElement('span');
        waiting.className = 'waiting';
        waiting.textContent = '⏳';
        waiting.title = 'Waiting for messages: a new one reaches it at once';
        waiting.setAttribute('aria-label', 'waiting for messages');
        who.append(waiting);
      }
      li.append(who);
      if (this.host) {
        const tools = document.createElement('span');
        tools.className = 'moderation';
        for (const action of [person.muted ? 'unmute' : 'mute', 'kick']) {
          const button = document.createElement('button');
          button.type = 'button';
          button.className = `moderate ${action}`;
          button.textContent = action === 'kick' ? 'Kick' : action === 'mute' ? 'Mute' : 'Unmute';
          button.setAttribute('aria-label', `${button.textContent} ${person.name}`);
          button.addEventListener('click', () => this.hooks.moderate(person.name, action));
          tools.append(button);
        }
        li.append(tools);
      }
      const details = [];
      if (person.last_seen) {
        details.push(`Last seen ${localTime(person.last_seen).full}`);
      }
      if (typeof person.read_up_to === 'number') {
        details.push(`read up to #${person.read_up_to}`);
      }
      if (details.length) {
        li.title = details.join(', ');
      }
      // a long name is cut short with an ellipsis: its tooltip has it whole
      name.title = [person.name, ...details].join(', ');
      return li;
    });
    this.list.replaceChildren(...items);
    const online = everyone.filter((person) => person.online).length;
    this.onlineCount.textContent = String(online);
    this.onlineCount.dataset.count = String(online);
  }
}
