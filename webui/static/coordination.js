import { unreachable } from './connection.js';
import { colourClass, localTime } from './render.js';

/**
 * @typedef {object} Claim
 * @property {string} id
 * @property {string} agent
 * @property {string} resource
 * @property {string} [note]
 * @property {string} expires_at
 */

/**
 * @typedef {object} Brake
 * @property {number} agent_turns
 * @property {number} limit
 * @property {boolean} engaged
 */

/**
 * What the room does to keep its agents coordinated, as the page shows it: the loop brake (a banner
 * with a Release button while agents are held) and the work claims (a panel beside the people).
 * Fed by GET room, GET claims and the stream's `brake` and `claim` events (see StreamedState).
 */
export class Coordination {
  /**
   * @param {{banner: HTMLElement, bannerText: HTMLElement, release: HTMLButtonElement, claims: HTMLElement,
   *   claimsTitle: HTMLElement}} elements
   * @param {{headers: () => Record<string, string>, isHost: () => boolean,
   *   asPerson: (path: string, body: object) => Promise<import('./identity.js').HolderAnswer|null>,
   *   refusedAs: (answer: import('./identity.js').HolderAnswer, what: string) => boolean,
   *   onError: (text: string) => void, news: (apply: () => void) => void}} hooks
   *   headers: the room's credentials (password, or the host key); isHost: whether they are the host
   *   key; asPerson: POSTs as the name this page
   *   holds as a person's (null when it holds none: the page says why); refusedAs: tells why the room
   *   refused an answer, if it did (see Composer.refusedAs); news: applies what an answer to
   *   this page's own action says, newer than any read of the room under way (see StreamedState)
   */
  constructor(elements, hooks) {
    this.el = elements;
    this.hooks = hooks;
    /** @type {Map<string, Claim>} by id */
    this.claims = new Map();
    this.expiryTimer = 0;
    this.el.release.addEventListener('click', () => this.release());
  }

  /**
   * Shows the loop brake: a banner while agents are held.
   * @param {Brake} brake
   */
  showBrake(brake) {
    if (!brake || typeof brake.engaged !== 'boolean') {
      return;
    }
    this.el.banner.hidden = !brake.engaged;
    this.el.bannerText.textContent = brake.engaged
      ? `Agents are paused: ${brake.agent_turns} agent message${brake.agent_turns === 1 ? '' : 's'} in a row without a person. `
        + 'Post a message or release them.'
      : '';
  }

  /**
   * Releases the brake as the person at this page: with the token of the name it holds as a person's
   * (the room takes no one's word for being human), or the host's key.
   */
  async release() {
    this.el.release.disabled = true;
    try {
      // the host's key releases it as it is; anyone else as the person holding a name
      const answer = this.hooks.isHost() ? await this.asHost('room/brake/release') : await this.hooks.asPerson('room/brake/release', {});
      // null: the name could not be held, and the page says why; a refusal is told as a message's is
      if (answer === null || this.hooks.refusedAs(answer, 'Not released')) {
        return;
      }
      this.hooks.news(() => this.showBrake(answer.result));
    } catch {
      this.hooks.onError(unreachable('Not released'));
    } finally {
      this.el.release.disabled = false;
    }
  }

  /**
   * POSTs with the room's credentials alone (the host's key): no name needs holding.
   * @param {string} path relative to the room
   * @returns {Promise<import('./identity.js').HolderAnswer>}
   */
  async asHost(path) {
    const response = await fetch(path, {
      method: 'POST', headers: { 'Content-Type': 'application/json', ...this.hooks.headers() }, body: '{}',
    });
    const result = await response.json().catch(() => ({}));
    return { response, result, refused: false };
  }

  /**
   * A claim was taken, renewed or released.
   * @param {{action: string, claim: Claim}} event
   */
  claimEvent(event) {
    if (!event || !event.claim || typeof event.claim.id !== 'string') {
      return;
    }
    if (event.action === 'released') {
      this.claims.delete(event.claim.id);
    } else {
      this.claims.set(event.claim.id, event.claim);
    }
    this.showClaims();
  }

  /**
   * Every claim the room holds (GET claims).
   * @param {Claim[]} claims
   */
  replaceClaims(claims) {
    this.claims = new Map(claims.map((claim) => [claim.id, claim]));
    this.showClaims();
  }

  /** Redraws the claims panel; expired claims leave it by themselves. */
  showClaims() {
    const now = Date.now();
    for (const [id, claim] of this.claims) {
      if (Date.parse(claim.expires_at) <= now) {
        this.claims.delete(id);
      }
    }
    const claims = [...this.claims.values()].sort((a, b) => a.resource.localeCompare(b.resource));
    const items = claims.map((claim) => {
      const li = document.createElement('li');
      li.className = 'claim';
      const resource = document.createElement('code');
      resource.className = 'claim-resource';
      resource.textContent = claim.resource;
      const who = document.createElement('span');
      who.className = `agent ${colourClass(claim.agent)}`;
      who.textContent = claim.agent;
      const until = document.createElement('span');
      until.className = 'claim-until';
      until.textContent = `until ${localTime(claim.expires_at).short}`;
      li.append(resource, ' ', who, ' ', until);
      if (claim.note) {
        const note = document.createElement('div');
        note.className = 'claim-note';
        note.dir = 'auto';
        note.textContent = claim.note;
        li.append(note);
      }
      return li;
    });
    if (items.length === 0) {
      const none = document.createElement('li');
      none.className = 'claim none';
      none.textContent = 'Nobody has claimed anything.';
      items.push(none);
    }
    this.el.claims.replaceChildren(...items);
    this.el.claimsTitle.dataset.count = String(claims.length);
    clearTimeout(this.expiryTimer);
    const next = Math.min(...claims.map((claim) => Date.parse(claim.expires_at)));
    if (Number.isFinite(next)) {
      this.expiryTimer = setTimeout(() => this.showClaims(), Math.max(250, next - now + 50));
    }
  }
}
