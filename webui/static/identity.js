import { configuredMs, roomGone } from './connection.js';
import { authHeaders, isHostKey, ROOM_PATH } from './login.js';
import { kindName } from './marks.js';
import { HeldNames } from './names.js';
import { sameName } from './render.js';

/** Where the display name is kept: across visits. */
const NAME_KEY = 'agent-chat.name';
/**
 * A name others can @mention, by the server's mention rule (`room/Mentions`): letters and digits of any
 * script with their marks, '.', '_' and '-', not ending in '.' or '-' (punctuation after a mention).
 */
const MENTIONABLE = /^[\p{L}\p{M}\p{N}._-]*[\p{L}\p{M}\p{N}_]$/u;

/**
 * The name made mentionable: what the rule does not take becomes '_' ("Ana María" is Ana_María).
 * @param {string} name
 * @returns {string}
 */
function mentionableLike(name) {
  return name.replace(/[^\p{L}\p{M}\p{N}._-]+/gu, '_').replace(/[.-]+$/u, '');
}
/** How long the name field waits for typing to settle before the page follows under the new name. */
const NAME_SETTLES_MS = 800;
/**
 * Where the names this tab followed the room under are kept, for the tab's session: the room lists a
 * reader's name for a while after the reads, also after a reload.
 */
const FOLLOWED_KEY = `agent-chat.followed:${ROOM_PATH}`;
/** The most names kept there (the newest): a person renames a few times, not hundreds. */
const MOST_FOLLOWED = 50;
/** How long a POST waits for its answer before the page gives it up (data-post-timeout-ms on <html> overrides it). */
const POST_TIMEOUT_MS = 15000;

/**
 * @typedef {object} HolderAnswer
 * @property {Response} response
 * @property {any} result the answer's JSON ({} when it had none)
 * @property {boolean} refused whether the name's token was refused (nothing was done)
 */

/**
 * The person at this page as the room knows them: the display name in the name field, held as a
 * person's (`POST join`, once per name and tab) so that their messages show as verified; the token
 * the page then follows and posts with; the warning under the field when the name is someone else's.
 */
export class Identity {
  /**
   * @param {{name: HTMLInputElement, warning: HTMLElement}} elements
   * @param {{secret: () => string,
   *   others: {holder: (name: string) => any, usedUnheld: (name: string) => boolean,
   *     agentPostedAs: (name: string) => boolean},
   *   onError: (text: string) => void, onRefused: () => void,
   *   onKicked: (blockedUntil?: string) => void, onGone: () => void,
   *   onHeld: () => void}} hooks `onHeld`: the name was held anew and the page follows with its token from now on
   */
  constructor(elements, hooks) {
    this.input = elements.name;
    this.warning = elements.warning;
    this.hooks = hooks;
    this.input.value = localStorage.getItem(NAME_KEY) || '';
    /** the tokens of the names this browser holds in this room */
    this.held = new HeldNames(ROOM_PATH);
    /**
     * @type {Set<string>} the names (lower case) this tab has followed the room under, oldest first, the
     *   page's before a reload too: its own reads list them
     */
    this.followedNames = new Set(followedBefore());
  }

  /**
   * Answers this browser's other tabs that ask for a name this tab holds, and watches the name field:
   * `typed` as each change is made, `settled` once typing stops (the names held before are given up first).
   * @param {{typed: () => void, settled: () => void}} on
   */
  start(on) {
    this.held.answerOtherTabs();
    let timer = 0;
    this.input.addEventListener('input', () => {
      localStorage.setItem(NAME_KEY, this.name());
      this.check();
      on.typed();
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.releaseOtherNames();
        on.settled();
      }, NAME_SETTLES_MS);
    });
  }

  /** @returns {string} the reader's display name, trimmed ('' if none yet) */
  name() {
    return this.input.value.trim();
  }

  /**
   * @param {string} name
   * @returns {boolean} whether the name is the reader's own (case aside)
   */
  is(name) {
    return sameName(name, this.name());
  }

  /**
   * The name the page reads the room under, noted as one of its own: the room lists a reader's name,
   * and the page's own reads must not pass for someone else using it.
   * @returns {string}
   */
  followedName() {
    const name = this.name();
    const key = name.toLowerCase();
    if (name && !this.followedNames.has(key)) {
      this.followedNames.add(key);
      for (const oldest of [...this.followedNames].slice(0, -MOST_FOLLOWED)) {
        this.followedNames.delete(oldest);
      }
      sessionStorage.setItem(FOLLOWED_KEY, JSON.stringify([...this.followedNames]));
    }
    return name;
  }

  /** @returns {Set<string>} a copy of the names (lower case) the page has followed the room under */
  ownNames() {
    return new Set(this.followedNames);
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
    return token ? { Authorization: `Bearer ${token}` } : authHeaders(this.hooks.secret());
  }

  /** @returns {string|null} the token of the name this tab holds, when it follows with it (not the host's page) */
  followToken() {
    return isHostKey(this.hooks.secret()) || !this.name() ? null : this.held.of(this.name());
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
    this.held.takeAllBut(this.name()).forEach(giveUp);
  }

  /**
   * Gives up every name this browser holds in the room and forgets the name typed (logging out of a
   * shared device): anyone may take them at once, as after `agent-chat leave`.
   * @returns {Promise<void>} once the room has answered (or could not be reached)
   */
  async releaseAll() {
    localStorage.removeItem(NAME_KEY);
    sessionStorage.removeItem(FOLLOWED_KEY);
    this.followedNames.clear();
    this.input.value = '';
    await Promise.all(this.held.takeAll().map(giveUp));
  }

  /**
   * Warns, under the name field, when the name is one someone else is using: held (the server refuses
   * it: another name is needed), or one an agent posts under without holding it (the person would pass
   * for the agent in the conversation), or one the room's list gives for someone else who does not hold
   * it (an agent that only listens under it, never having posted). A name this browser holds is the
   * person's own: nothing to say.
   */
  check() {
    const name = this.name();
    const others = this.hooks.others;
    const ours = !name || this.held.of(name) || this.held.remembered(name);
    const holder = ours ? null : others.holder(name);
    if (holder) {
      this.warning.textContent = `${name} is held by ${kindName(holder)} in this room: pick another name.`;
    } else if (!ours && others.agentPostedAs(name)) {
      this.warning.textContent = `An agent is posting as ${name}: your messages would look like its. Pick another name.`;
    } else if (!ours && others.usedUnheld(name)) {
      this.warning.textContent = `Someone in this room, such as an agent, uses ${name} without holding it: your messages would look like theirs. Pick another name.`;
    } else if (name && !MENTIONABLE.test(name)) {
      // the server's mention rule (Mentions): the CLI and the MCP tools say the same as a message is sent
      const like = mentionableLike(name);
      this.warning.textContent = `Others cannot @mention ${name}: a mention is @ followed by letters, digits, '.', '_' or '-'`
        + `${like ? ` (such as ${like})` : ''}; they can still address you with to.`;
    } else {
      this.warning.textContent = '';
    }
    this.input.setAttribute('aria-invalid', String(Boolean(holder)));
  }

  /** Puts the cursor in the name field. */
  focus() {
    this.input.focus();
  }

  /**
   * @returns {boolean} whether there is a name to act under; if not, says so and puts the cursor in the name field
   */
  present() {
    if (this.name()) {
      return true;
    }
    this.hooks.onError('Pick a name first.');
    this.focus();
    return false;
  }

  /**
   * POSTs as the person at this page, who must have a name to hold (as asHolder); null, with the
   * reason shown, when there is none yet.
   * @param {string} path relative to the room
   * @param {object} body
   * @returns {Promise<HolderAnswer|null>} as asHolder's
   */
  async asPerson(path, body) {
    return this.present() ? this.asHolder(path, body) : null;
  }

  /**
   * POSTs as the name this page holds (see postAsHolder). A token the server refuses (`401`: the claim
   * expired or was given up elsewhere, or a restarted server no longer knows it) did nothing, so the
   * name is held anew and the same request made once more: nothing is done twice.
   * @param {string} path relative to the room
   * @param {object} body
   * @returns {Promise<HolderAnswer|null>} as postAsHolder's
   */
  async asHolder(path, body) {
    const answer = await this.postAsHolder(path, body);
    return answer?.refused ? this.postAsHolder(path, body) : answer;
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

  /**
   * POSTs with the token of the name this page holds (claimed first when this tab has none; the
   * password alone on an older server, which holds no names). A refused token is forgotten.
   * @param {string} path relative to the room
   * @param {object} body
   * @returns {Promise<HolderAnswer|null>} the answer; null when the name could not be held (the reason is shown)
   */
  async postAsHolder(path, body) {
    const token = await this.claim();
    if (token === null) {
      return null;
    }
    const headers = authHeaders(this.hooks.secret());
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    const response = await postJson(path, headers, body);
    const result = await response.json().catch(() => ({}));
    const refused = response.status === 401 && token !== '';
    if (refused) {
      this.held.forget(this.name());
    }
    return { response, result, refused };
  }

  /**
   * Holds the display name as a person's (POST join, kind human), once per name and tab; the token
   * then posts the messages, verified. Null with the reason shown when the name cannot be held.
   * @returns {Promise<string|null>} the token; '' on an older server, where the password alone posts
   */
  async claim() {
    const saved = this.held.of(this.name());
    if (saved) {
      return saved;
    }
    const token = await this.claimAnew();
    if (token && this.followToken()) {
      // follow as the name's holder from now on, so the room shows it present (see followHeaders)
      this.hooks.onHeld();
    }
    return token;
  }

  /**
   * POST join for the name; a name this browser holds in another tab is handed over by that tab.
   * @returns {Promise<string|null>} as claim's
   */
  async claimAnew() {
    const name = this.name();
    const response = await postJson('join', authHeaders(this.hooks.secret()), { agent: name, kind: 'human' });
    const result = await response.json().catch(() => ({}));
    if (roomGone(response.status, result)) {
      this.hooks.onGone();
      return null;
    }
    if (response.status === 404) {
      return ''; // an older server: names cannot be held, the password alone posts
    }
    if (response.status === 403 && result.code === 'kicked') {
      this.hooks.onKicked(result.blocked_until);
      return null;
    }
    if (response.status === 401) {
      this.hooks.onRefused();
      return null;
    }
    if (response.status === 403 && result.code === 'name_claimed') {
      // held by this browser: in another tab, or in one closed since (a token that ended fails the post, and is forgotten)
      const handed = await this.held.fromOtherTabs(name) || this.held.remembered(name);
      if (handed) {
        this.held.keep(name, handed);
        return handed;
      }
    }
    if (!response.ok) {
      this.hooks.onError(response.status === 403 && result.code === 'name_claimed'
        ? `The name ${name} is held in this room by someone else: pick another. Your text is still here.`
        : (result.error || `The server answered ${response.status}.`));
      return null;
    }
    this.held.keep(name, result.token);
    return result.token;
  }
}

/**
 * Gives a held name up (`DELETE join` with its token). A token that ended meanwhile holds nothing
 * either: no answer needs handling.
 * @param {string} token
 * @returns {Promise<unknown>} once the room has answered, or could not be reached
 */
function giveUp(token) {
  return fetch('join', { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } }).catch(() => {});
}

/**
 * POSTs JSON to the room. A POST unanswered after a while is given up (it rejects, as with no network
 * at all), so the page can say it was not done instead of waiting for ever.
 * @param {string} path relative to the room
 * @param {Record<string, string>} headers
 * @param {object} body
 * @returns {Promise<Response>}
 */
function postJson(path, headers, body) {
  return fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(configuredMs('postTimeoutMs', POST_TIMEOUT_MS)),
  });
}

/** @returns {string[]} the names this tab followed the room under before (a reload), as kept */
function followedBefore() {
  try {
    const kept = JSON.parse(sessionStorage.getItem(FOLLOWED_KEY) || '[]');
    return Array.isArray(kept) ? kept.filter((name) => typeof name === 'string') : [];
  } catch {
    return [];
  }
}
