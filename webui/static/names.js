import { configuredMs } from './connection.js';

/** Where this browser's tabs hand each other the token of a name one of them holds (same origin only). */
const NAMES_CHANNEL = 'agent-chat.names';
/** How long a tab refused a name waits for another of this browser's tabs to hand over its token. */
const HAND_OVER_MS = 500;

/**
 * The tokens of the names this browser holds in one room, one per name (in lower case). A tab posts
 * with its own (sessionStorage); a copy outlives the tab (localStorage), so a person who closes the
 * tab and opens the link again takes their name back instead of finding it held by nobody for a day;
 * and this browser's other tabs in the room hand theirs over when asked, so the same person in a
 * second tab is not refused their own name.
 */
export class HeldNames {
  /** @param {string} roomPath the room's path on the server (`/`, `/rooms/NAME/`): one room's names are not another's */
  constructor(roomPath) {
    this.prefix = `agent-chat.token:${roomPath}:`;
    /** @type {BroadcastChannel|null} */
    this.channel = null;
  }

  /**
   * @param {string} name
   * @returns {string|null} the token this tab holds for the name
   */
  of(name) {
    return sessionStorage.getItem(this.key(name));
  }

  /**
   * @param {string} name
   * @returns {string|null} the token a closed tab of this browser held for the name
   */
  remembered(name) {
    return localStorage.getItem(this.key(name));
  }

  /**
   * @param {string} name
   * @param {string} token
   */
  keep(name, token) {
    sessionStorage.setItem(this.key(name), token);
    localStorage.setItem(this.key(name), token);
  }

  /** @param {string} name the room no longer takes its token, or the name was given up */
  forget(name) {
    this.forgetKey(this.key(name));
  }

  /**
   * Forgets the names this tab holds other than `name`.
   * @param {string} name
   * @returns {string[]} their tokens, to give them up with
   */
  takeAllBut(name) {
    const kept = this.key(name);
    const taken = [];
    for (const key of Object.keys(sessionStorage)) {
      if (key.startsWith(this.prefix) && key !== kept) {
        taken.push(sessionStorage.getItem(key));
        this.forgetKey(key);
      }
    }
    return taken;
  }

  /**
   * Forgets every name this browser holds in the room, this tab's and those kept beyond it.
   * @returns {string[]} their tokens, to give them up with
   */
  takeAll() {
    const tokens = new Set();
    for (const storage of [sessionStorage, localStorage]) {
      for (const key of Object.keys(storage)) {
        if (key.startsWith(this.prefix)) {
          tokens.add(storage.getItem(key));
          this.forgetKey(key);
        }
      }
    }
    return [...tokens];
  }

  /** Answers this browser's other tabs asking for the token of a name this tab holds (see fromOtherTabs). */
  answerOtherTabs() {
    if (!('BroadcastChannel' in window)) {
      return;
    }
    this.channel = new BroadcastChannel(NAMES_CHANNEL);
    this.channel.addEventListener('message', ({ data }) => {
      // the key names the room (its path) and the name: a tab of another room has nothing to say
      const token = typeof data?.ask === 'string' && data.ask.startsWith(this.prefix) ? sessionStorage.getItem(data.ask) : null;
      if (token) {
        this.channel.postMessage({ answer: data.ask, token });
      }
    });
  }

  /**
   * Asks this browser's other tabs in this room for the token of `name`.
   * @param {string} name
   * @returns {Promise<string|null>} the token, or null when no tab answered in time
   */
  fromOtherTabs(name) {
    const channel = this.channel;
    if (!channel) {
      return Promise.resolve(null);
    }
    const key = this.key(name);
    return new Promise((resolve) => {
      const done = (token) => {
        clearTimeout(timer);
        channel.removeEventListener('message', answer);
        resolve(token);
      };
      const answer = ({ data }) => {
        if (data?.answer === key && typeof data.token === 'string') {
          done(data.token);
        }
      };
      const timer = setTimeout(() => done(null), configuredMs('handOverMs', HAND_OVER_MS));
      channel.addEventListener('message', answer);
      channel.postMessage({ ask: key });
    });
  }

  /**
   * @param {string} name
   * @returns {string} where the token of the name is kept
   */
  key(name) {
    return `${this.prefix}${name.toLowerCase()}`;
  }

  /** @param {string} key */
  forgetKey(key) {
    sessionStorage.removeItem(key);
    localStorage.removeItem(key);
  }
}
