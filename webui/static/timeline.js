import { colourClass, concerns, localTime, renderText, sameName } from './render.js';
import { heldMark, kindMark } from './marks.js';

/** How close to the bottom (px) still counts as "reading the newest messages". */
const STICKY_PX = 64;
/** How much of a message's text is read out when it arrives (the message itself is in the list). */
const ANNOUNCED_CHARS = 200;
/** Announcements left in the live region (screen readers read what is added; the rest is clutter). */
const ANNOUNCEMENTS_KEPT = 10;
/**
 * The most messages kept on the page while the reader is at the newest. Each message is a few dozen
 * nodes, and a page that grows all afternoon in a busy room makes every new message slower to lay
 * out, most of all on a phone: beyond this the oldest are taken off the page (scrolling up fetches
 * them again), once a fifth more are shown, so that it is done now and then rather than per message.
 */
const KEPT = 1000;

/**
 * @typedef {object} Message
 * @property {number} id
 * @property {string} agent
 * @property {string} text
 * @property {string} timestamp
 * @property {string[]} [mentions]
 * @property {string[]} [to]
 * @property {number} [reply_to]
 * @property {boolean} [ack_only] only courtesy ("thanks"): shown quietly
 * @property {boolean} [ack_requested] the sender asks for acknowledgements
 * @property {string[]} [acks] who acknowledged it
 */

/**
 * The message list: shows each message once whichever path delivered it, in id order, keeps the
 * reader's scroll position while they read history, keeps at most about KEPT messages on the page
 * while the reader is at the newest, and notices when the server started afresh (its ids begin again at 1).
 */
export class Timeline {
  /**
   * @param {HTMLElement} log the conversation's list
   * @param {HTMLButtonElement} jump the "new messages" button
   * @param {HTMLElement} announcer the live region that tells screen readers what arrives
   * @param {{reader: () => string, onReply: (m: Message) => void, onAck: (m: Message) => void,
   *   onChange: () => void, goTo: (id: number) => void, trimmed?: () => void}} hooks (goTo: shows a message,
   *   loading older ones first; trimmed: the oldest messages were taken off the page, to be fetched again)
   */
  constructor(log, jump, announcer, hooks) {
    this.log = log;
    this.jump = jump;
    this.announcer = announcer;
    /** Whether the room has answered: messages accepted from then on arrived live, and are announced. */
    this.live = false;
    this.hooks = hooks;
    /** @type {Map<number, {message: Message, node: HTMLElement}>} this generation's messages on the page */
    this.known = new Map();
    /**
     * The names (lower case) an agent posted under in this generation's messages, kept as each message
     * is taken, so that checking a name as it is typed does not go through every message shown (and
     * still knows the names of messages trimmed off the page).
     * @type {Set<string>}
     */
    this.agentNames = new Set();
    /** The newest id delivered in order (by the stream or a poll): where to resume. */
    this.cursor = 0;
    this.generation = 0;
    /** The newest id known in this generation: ids start at 1 and never skip, so it counts the room's messages. */
    this.newest = 0;
    this.unseen = 0;
    /** @type {{node: HTMLElement, id?: number, generation?: number, mine?: boolean}[]} changes not yet shown */
    this.pending = [];
    /** Whether the reader was at the newest messages when the log last scrolled. */
    this.stuck = true;
    /** Whether messages of this generation were trimmed off the page (older pages can be fetched again). */
    this.cut = false;
    /** The log's height when last measured: a change is the page's layout, not the reader scrolling. */
    this.height = 0;
    this.log.addEventListener('scroll', () => this.onScroll());
    this.jump.addEventListener('click', () => this.scrollToEnd());
    new ResizeObserver(() => this.followResize()).observe(this.log);
  }

  /**
   * A banner or an error line that opens takes height from the log without scrolling it: a reader
   * who was at the newest messages stays there rather than seeing them slide out of view. Done
   * before anything measures where the reader is, since the resize itself is not the reader's doing.
   */
  followResize() {
    const height = this.log.clientHeight;
    if (height !== this.height) {
      this.height = height;
      this.stayAtEnd();
    }
  }

  /** Keeps a reader who is at the newest messages there when what is shown grows or the log shrinks. */
  stayAtEnd() {
    if (this.stuck) {
      this.log.scrollTop = this.log.scrollHeight;
    }
  }

  /**
   * Marks that the room has answered (its newest page, or a live stream): until then an empty
   * conversation says it is loading, from then on that nobody has written yet (style.css).
   */
  opened() {
    this.log.dataset.opened = '';
    this.live = true;
  }

  /**
   * Takes a message from any path. Returns whether it was new.
   * @param {Message} message
   * @param {boolean} ordered true when it came from the stream or a poll (so every id up to it has
   *   been delivered), false for the answer to our own POST
   * @returns {boolean}
   */
  accept(message, ordered) {
    if (!message || typeof message.id !== 'number') {
      return false;
    }
    const seen = this.known.get(message.id);
    if (seen && sameMessage(seen.message, message)) {
      if (ordered) {
        this.cursor = Math.max(this.cursor, message.id);
      }
      return false;
    }
    if (seen || (ordered && message.id <= this.cursor)) {
      this.startGeneration();
    }
    const node = this.render(message);
    this.keep(message, node);
    if (ordered) {
      this.cursor = Math.max(this.cursor, message.id);
    }
    this.newest = Math.max(this.newest, message.id);
    const mine = sameName(message.agent, this.hooks.reader());
    this.schedule({ node, id: message.id, generation: this.generation, mine, message: this.live ? message : undefined });
    return true;
  }

  /**
   * Whether an agent posted under this name in a message of this generation (a person's own messages are `kind: human`).
   * @param {string} name
   * @returns {boolean}
   */
  agentPostedAs(name) {
    return Boolean(name) && this.agentNames.has(name.toLowerCase());
  }

  /**
   * Holds a message shown under its id, and notes who posted it.
   * @param {Message} message
   * @param {HTMLElement} node
   */
  keep(message, node) {
    this.known.set(message.id, { message, node });
    if (message.kind !== 'human' && typeof message.agent === 'string') {
      this.agentNames.add(message.agent.toLowerCase());
    }
  }

  /**
   * Puts an older page above everything shown, keeping the reader's place: what was on screen
   * stays where it was. Messages already shown are skipped.
   * @param {Message[]} messages oldest first, all older than those shown
   */
  prepend(messages) {
    const fresh = messages.filter((m) => m && typeof m.id === 'number' && !this.known.has(m.id));
    if (fresh.length === 0) {
      return;
    }
    const fragment = document.createDocumentFragment();
    for (const message of fresh) {
      const node = this.render(message);
      this.keep(message, node);
      fragment.append(node);
    }
    const first = this.log.querySelector(`.msg[data-generation="${this.generation}"]`);
    const fromBottom = this.log.scrollHeight - this.log.scrollTop;
    this.log.insertBefore(fragment, first);
    this.log.scrollTop = this.log.scrollHeight - fromBottom;
    // quotes of replies to these messages can now name their author
    const added = new Set(fresh.map((m) => m.id));
    for (const { message, node } of this.known.values()) {
      if (typeof message.reply_to === 'number' && added.has(message.reply_to)) {
        node.querySelector('.reply-to')?.replaceWith(this.replyQuote(message.reply_to));
      }
    }
    this.hooks.onChange();
  }

  /**
   * The oldest id shown, where the next older page ends; null when there is none to page from
   * (nothing shown yet, or the room restarted and its history is followed from its start, unless
   * the oldest of it were trimmed off the page since).
   * @returns {number|null}
   */
  oldestId() {
    if (this.generation > 0 && !this.cut) {
      return null;
    }
    const first = this.log.querySelector(`.msg[data-generation="${this.generation}"]`);
    return first ? Number(first.dataset.id) : null;
  }

  /**
   * Takes the oldest messages (and the notices among them) off the page once a fifth more than KEPT
   * are shown, down to KEPT: only while the reader is at the newest, never what is in view. Scrolling
   * up fetches them again, as any older page.
   */
  trim() {
    const excess = this.log.childElementCount - KEPT;
    if (!this.stuck || excess <= KEPT / 5) {
      return;
    }
    const last = this.log.children[excess - 1];
    if (last.getBoundingClientRect().bottom > this.log.getBoundingClientRect().top) {
      return;
    }
    const fromBottom = this.log.scrollHeight - this.log.scrollTop;
    let cut = false;
    for (let i = 0; i < excess; i += 1) {
      const node = /** @type {HTMLElement} */ (this.log.firstElementChild);
      if (node.classList.contains('msg') && node.dataset.generation === String(this.generation)) {
        this.known.delete(Number(node.dataset.id));
        cut = true;
      }
      node.remove();
    }
    this.log.scrollTop = this.log.scrollHeight - fromBottom;
    if (cut) {
      this.cut = true;
      this.hooks.trimmed?.();
    }
  }

  /**
   * @param {number} id
   * @returns {boolean} whether message `id` is shown
   */
  shows(id) {
    return this.known.has(id);
  }

  /**
   * A line of information above everything shown (the history goes back no further).
   * @param {string} text
   */
  noticeAtTop(text) {
    if (this.log.querySelector('.notice.top')) {
      return;
    }
    const li = document.createElement('li');
    li.className = 'notice top';
    li.textContent = text;
    this.log.prepend(li);
  }

  /**
   * A line of information between messages (history cut, server restarted).
   * @param {string} text
   */
  notice(text) {
    const li = document.createElement('li');
    li.className = 'notice';
    li.textContent = text;
    this.schedule({ node: li });
  }

  /**
   * Queues a change to the list. Changes are applied together once per frame: a replay of
   * thousands of messages then costs a few layouts instead of one per message.
   * @param {{node: HTMLElement, id?: number, generation?: number, mine?: boolean, message?: Message}} item
   *   (message: one that arrived live, to be announced)
   */
  schedule(item) {
    this.pending.push(item);
    if (this.pending.length > 1) {
      return;
    }
    if (document.hidden) {
      setTimeout(() => this.flush(), 100);
    } else {
      requestAnimationFrame(() => this.flush());
    }
  }

  /** Applies the queued changes, then follows the newest message or counts what arrived below. */
  flush() {
    const items = this.pending;
    this.pending = [];
    if (items.length === 0) {
      return;
    }
    this.followResize();
    const stick = this.stuck || items.some((item) => item.mine);
    let arrived = 0;
    for (const item of items) {
      if (item.id === undefined) {
        this.log.append(item.node);
      } else {
        this.insert(item.node, item.id, item.generation);
        arrived += 1;
      }
    }
    if (stick) {
      this.scrollToEnd();
    } else if (arrived > 0) {
      this.unseen += arrived;
      this.showJump();
    }
    this.announce(items.filter((item) => item.message && !item.mine).map((item) => item.message));
    this.hooks.onChange();
  }

  /**
   * Tells screen readers what arrived live, in a region of its own: the conversation itself is a
   * plain list, so the history loaded on opening or scrolling, a search's marks and the "Seen by"
   * line are never read out as news. A burst is told as its count and its newest message.
   * @param {Message[]} arrived
   */
  announce(arrived) {
    if (arrived.length === 0) {
      return;
    }
    const said = (m) => `${m.agent}${concerns(m, this.hooks.reader()) ? ' (for you)' : ''}: ${m.text.slice(0, ANNOUNCED_CHARS)}`;
    const lines = arrived.length <= 3 ? arrived.map(said)
      : [`${arrived.length} new messages; the newest from ${said(arrived[arrived.length - 1])}`];
    for (const line of lines) {
      const p = document.createElement('p');
      p.textContent = line;
      this.announcer.append(p);
    }
    while (this.announcer.childElementCount > ANNOUNCEMENTS_KEPT) {
      this.announcer.firstElementChild.remove();
    }
  }

  /**
   * Whether this is the message shown under its id (not another one from a restarted server).
   * @param {Message} message
   * @returns {boolean}
   */
  holds(message) {
    const seen = this.known.get(message.id);
    return Boolean(seen && sameMessage(seen.message, message));
  }

  /** The server's ids began again: earlier messages stay on screen, ids are tracked afresh. */
  startGeneration() {
    this.known.clear();
    this.agentNames.clear();
    this.cursor = 0;
    this.newest = 0;
    this.cut = false;
    this.generation += 1;
    this.notice('The room restarted. Messages below are new.');
  }

  /**
   * Re-applies the reader's name: which messages and mentions are theirs to notice.
   * @param {string} reader
   */
  refreshReader(reader) {
    for (const { message, node } of this.known.values()) {
      markReader(node, message, reader);
      for (const mention of node.querySelectorAll('.mention')) {
        mention.classList.toggle('mention-me', sameName(mention.dataset.name, reader));
      }
    }
  }

  /**
   * Scrolls to a message and briefly highlights it; with a search term, marks where it matches.
   * @param {number} id
   * @param {string} [term]
   */
  reveal(id, term) {
    const entry = this.known.get(id);
    if (!entry) {
      return;
    }
    for (const old of this.log.querySelectorAll('mark.hit')) {
      old.replaceWith(old.textContent);
    }
    if (term) {
      markMatches(entry.node.querySelector('.msg-body'), term);
    }
    // far away (a page or more), at once: a long smooth scroll would still count as at the newest for
    // its first frames, and a message arriving then would pull the reader back and trim the page
    const box = entry.node.getBoundingClientRect();
    const view = this.log.getBoundingClientRect();
    const near = box.bottom > view.top - view.height && box.top < view.bottom + view.height;
    const smooth = !term && near && !matchMedia('(prefers-reduced-motion: reduce)').matches;
    entry.node.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
    if (!smooth) {
      this.stuck = this.atEnd();
    }
    // the keyboard's and the screen reader's place moves with the eye's
    entry.node.tabIndex = -1;
    entry.node.focus({ preventScroll: true });
    entry.node.classList.remove('flash');
    void entry.node.offsetWidth;
    entry.node.classList.add('flash');
  }

  /**
   * Builds one message's element.
   * @param {Message} message
   * @returns {HTMLElement}
   */
  render(message) {
    const reader = this.hooks.reader();
    const li = document.createElement('li');
    li.className = 'msg';
    li.dataset.id = String(message.id);
    li.dataset.generation = String(this.generation);

    const head = document.createElement('div');
    head.className = 'msg-head';
    const who = document.createElement('span');
    who.className = `agent ${colourClass(message.agent)}`;
    who.textContent = message.agent;
    head.append(who);
    head.append(...identityMarks(message));
    if (message.to && message.to.length) {
      const to = document.createElement('span');
      to.className = 'to';
      to.textContent = `→ ${message.to.join(', ')}`;
      head.append(to);
    }
    const when = localTime(message.timestamp);
    const time = document.createElement('time');
    time.dateTime = when.iso;
    time.title = when.full;
    time.textContent = when.short;
    head.append(time);
    const reply = document.createElement('button');
    reply.type = 'button';
    reply.className = 'reply-button';
    reply.textContent = '↩';
    reply.title = 'Reply';
    reply.setAttribute('aria-label', `Reply to message ${message.id} from ${message.agent}`);
    reply.addEventListener('click', () => this.hooks.onReply(message));
    const ack = document.createElement('button');
    ack.type = 'button';
    ack.className = 'ack-button';
    ack.textContent = 'Ack';
    ack.setAttribute('aria-label', `Ack message ${message.id} from ${message.agent}`);
    ack.addEventListener('click', () => this.hooks.onAck(message));
    const whose = document.createElement('span');
    whose.className = 'whose visually-hidden';
    head.append(whose, ack, reply);
    li.append(head);
    markReader(li, message, reader);
    li.classList.toggle('ack-only', message.ack_only === true);
    li.classList.toggle('ack-requested', message.ack_requested === true);

    if (typeof message.reply_to === 'number') {
      li.append(this.replyQuote(message.reply_to));
    }
    const body = document.createElement('div');
    body.className = 'msg-body';
    body.append(renderText(message.text, reader, message.mentions));
    const acks = document.createElement('div');
    acks.className = 'acks';
    const seen = document.createElement('div');
    seen.className = 'seen';
    li.append(body, acks, seen);
    showAcks(acks, message, reader);
    return li;
  }

  /**
   * Someone acknowledged a message: its "Acknowledged by names" line follows.
   * @param {{id: number, acks: string[]}} ack
   */
  acked(ack) {
    const held = ack && this.known.get(ack.id);
    if (!held || !Array.isArray(ack.acks)) {
      return;
    }
    held.message.acks = ack.acks;
    showAcks(held.node.querySelector('.acks'), held.message, this.hooks.reader());
    this.stayAtEnd();
  }

  /**
   * Shows who has read the newest message ("seen by"), from the people's read receipts.
   * @param {{name: string, read_up_to?: number}[]} people
   */
  showSeen(people) {
    const newest = [...this.known.values()].reduce((a, b) => (!a || b.message.id > a.message.id ? b : a), null);
    const line = newest?.node.querySelector('.seen');
    for (const element of this.log.querySelectorAll('.seen:not(:empty)')) {
      if (element !== line) {
        element.textContent = '';
      }
    }
    if (!newest) {
      return;
    }
    const readers = people
      .filter((p) => typeof p.read_up_to === 'number' && p.read_up_to >= newest.message.id)
      .filter((p) => !sameName(p.name, newest.message.agent))
      .map((p) => p.name);
    const text = readers.length ? `Seen by ${readers.join(', ')}` : '';
    if (line.textContent !== text) {
      line.textContent = text;
    }
    this.stayAtEnd(); // the line may otherwise leave the newest message under the composer
  }

  /**
   * The compact "in reply to" line: the quoted message's author and first words, clickable.
   * @param {number} id
   * @returns {HTMLElement}
   */
  replyQuote(id) {
    const quote = document.createElement('button');
    quote.type = 'button';
    quote.className = 'reply-to';
    const original = this.known.get(id);
    if (original) {
      const who = document.createElement('span');
      who.className = `agent ${colourClass(original.message.agent)}`;
      who.textContent = original.message.agent;
      quote.append('↪ ', who, ` ${snippet(original.message.text)}`);
    } else {
      quote.append(`↪ #${id}`);
    }
    quote.title = `In reply to message #${id}`;
    // the original may be older than what is loaded: going there loads it first
    quote.addEventListener('click', () => this.hooks.goTo(id));
    return quote;
  }

  /**
   * Puts a message in id order among this generation's messages (our own POST's answer can come
   * before an earlier message from the stream).
   * @param {HTMLElement} node
   * @param {number} id
   * @param {number} generation
   */
  insert(node, id, generation) {
    let before = null;
    for (let el = this.log.lastElementChild; el; el = el.previousElementSibling) {
      if (!el.classList.contains('msg') || el.dataset.generation !== String(generation)) {
        break;
      }
      if (Number(el.dataset.id) < id) {
        break;
      }
      before = el;
    }
    this.log.insertBefore(node, before);
  }

  /** @returns {boolean} whether the reader is looking at the newest messages */
  atEnd() {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < STICKY_PX;
  }

  /** Jumps to the newest message and forgets the unseen count; the page is trimmed if it grew too long. */
  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
    this.unseen = 0;
    if (document.activeElement === this.jump) {
      this.log.focus({ preventScroll: true }); // the button goes: the keyboard stays in the conversation
    }
    this.jump.hidden = true;
    this.stuck = true;
    this.trim();
  }

  /** Shows how many messages arrived below while the reader reads history. */
  showJump() {
    this.jump.textContent = this.unseen === 1 ? '1 new message ↓' : `${this.unseen} new messages ↓`;
    this.jump.hidden = false;
  }

  /**
   * Notes whether the reader is at the newest messages; hides the button once they scroll down by
   * themselves, and trims the page there (it may have grown while they read further up).
   */
  onScroll() {
    this.followResize();
    this.stuck = this.atEnd();
    if (!this.jump.hidden && this.stuck) {
      this.unseen = 0;
      this.jump.hidden = true;
    }
    this.trim();
  }
}

/**
 * Fills a message's acknowledgement line: "Acknowledged by ann, bob", or "Asks for acknowledgement"
 * while nobody has. In words, as the Ack button is: a check mark beside a name means a held name.
 * The message's Ack button shows whether the reader acknowledged it (pressed).
 * @param {HTMLElement} element
 * @param {Message} message
 * @param {string} reader the name the page posts under
 */
function showAcks(element, message, reader) {
  const acks = message.acks || [];
  element.textContent = acks.length ? `Acknowledged by ${acks.join(', ')}` : message.ack_requested ? 'Asks for acknowledgement' : '';
  const button = element.parentElement?.querySelector('.ack-button');
  if (button) {
    const mine = Boolean(reader) && acks.some((name) => sameName(name, reader));
    button.setAttribute('aria-pressed', String(mine));
    button.title = mine ? 'Acknowledged by you'
      : message.ack_requested ? 'Acknowledge: tell the sender you saw it (asked for)' : 'Acknowledge: tell the sender you saw it';
  }
}

/**
 * Whether two messages with the same id are the same message (and not one from before a restart).
 * @param {Message} a
 * @param {Message} b
 * @returns {boolean}
 */
function sameMessage(a, b) {
  return a.timestamp === b.timestamp && a.agent === b.agent && a.text === b.text;
}

/**
 * Wraps every occurrence of `term` (ignoring case) in the element's text in `<mark class="hit">`.
 * @param {Element|null} element
 * @param {string} term
 */
export function markMatches(element, term) {
  if (!element || !term) {
    return;
  }
  const needle = term.toLowerCase();
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    texts.push(node);
  }
  for (const text of texts) {
    const value = text.nodeValue || '';
    const lower = value.toLowerCase();
    // only where lower-casing keeps the length, so positions match the original text
    if (lower.length !== value.length || !lower.includes(needle)) {
      continue;
    }
    const fragment = document.createDocumentFragment();
    let from = 0;
    for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, from)) {
      fragment.append(value.slice(from, at));
      const mark = document.createElement('mark');
      mark.className = 'hit';
      mark.textContent = value.slice(at, at + needle.length);
      fragment.append(mark);
      from = at + needle.length;
    }
    fragment.append(value.slice(from));
    text.replaceWith(fragment);
  }
}

/**
 * The first words of a text, on one line.
 * @param {string} text
 * @returns {string}
 */
export function snippet(text) {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/**
 * A person or a program, and whether the sender held the name: the held mark only for a verified
 * message (posted with the name's token), so a name anyone with the password could use does not look owned.
 * @param {{kind?: string, verified?: boolean}} message
 * @returns {HTMLElement[]}
 */
export function identityMarks(message) {
  const marks = [kindMark(message.kind)];
  if (message.verified) {
    marks.push(heldMark('Verified: posted by the holder of this name'));
  }
  return marks;
}

/**
 * Marks a message as the reader's own or as one that concerns them: the colours for the eye, and
 * words for a screen reader (the colours alone would tell it nothing).
 * @param {HTMLElement} node
 * @param {Message} message
 * @param {string} reader
 */
function markReader(node, message, reader) {
  const mine = sameName(message.agent, reader);
  const forMe = concerns(message, reader);
  node.classList.toggle('for-me', forMe);
  node.classList.toggle('mine', mine);
  node.querySelector('.whose').textContent = mine ? '(yours)' : forMe ? '(for you)' : '';
}
