import { roomGone, unreachable } from './connection.js';
import { colourClass, sameName } from './render.js';
import { snippet } from './timeline.js';

/** A screen whose main pointer is a finger (a phone, a tablet): no hardware keyboard to count on. */
const TOUCH = window.matchMedia('(pointer: coarse)');
/** What describes the message box while it answers a message: the reply bar's words (not its × button). */
const REPLYING = 'replying-label reply-agent reply-snippet';
/** A message that could not go out; taken back once the page is connected again. */
const UNREACHABLE = `${unreachable('Not sent')} Your text is still here.`;

/**
 * Where the person writes: the message box (Enter sends, Shift+Enter makes a new line; on a touch
 * screen Enter makes one and the Send button sends), the message being answered (`reply_to`), asking
 * for acknowledgements, and the line under it that says why something was not done. Messages and
 * acknowledgements go as the name the page holds (see Identity).
 */
export class Composer {
  /**
   * @param {{form: HTMLFormElement, message: HTMLTextAreaElement, send: HTMLButtonElement,
   *   error: HTMLElement, askAck: HTMLInputElement, skip: HTMLElement, replying: HTMLElement,
   *   replyAgent: HTMLElement, replySnippet: HTMLElement, replyCancel: HTMLElement}} elements
   * @param {import('./identity.js').Identity} identity
   * @param {{onSent: (message: any) => void, onAcked: (ack: any) => void, onRefused: () => void,
   *   onKicked: (blockedUntil?: string) => void, onGone: () => void}} hooks `onSent`: the room's copy
   *   of a message sent from here, from the answer to its post
   */
  constructor(elements, identity, hooks) {
    this.elements = elements;
    this.identity = identity;
    this.hooks = hooks;
    /** @type {number|null} the id of the message being answered */
    this.replyTo = null;
    /** whether the host muted the name this page posts under (Send is off meanwhile) */
    this.muted = false;
    /** whether a message is on its way (Send is off meanwhile) */
    this.sending = false;
    /**
     * The message last tried and not known to be stored: its name, text and client key (the same for
     * every try of it), and whether the room's copy arrived while it was on its way.
     * @type {{agent: string, text: string, key: string, arrived: boolean}|null}
     */
    this.pending = null;
  }

  /** Wires the message box, the Send button and the reply line. */
  start() {
    const { form, message, skip, replyCancel } = this.elements;
    // the message box comes after every message's buttons and the people: a keyboard gets there in one step
    skip.addEventListener('click', () => message.focus());
    message.addEventListener('keydown', (event) => {
      // a touch keyboard has no Shift+Enter: there Enter makes a new line and the Send button sends
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !TOUCH.matches) {
        event.preventDefault();
        this.send();
      } else if (event.key === 'Escape' && this.replyTo) {
        this.cancelReply();
      }
    });
    message.addEventListener('input', () => this.fit());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send();
    });
    replyCancel.addEventListener('click', () => this.cancelReply());
  }

  /** Puts the cursor where the person is to type next: the name field until there is a name, else the message box. */
  focus() {
    if (this.identity.name()) {
      this.elements.message.focus();
    } else {
      this.identity.focus();
    }
  }

  /**
   * Says why something was not done, under the message box ('' takes it back).
   * @param {string} text
   */
  say(text) {
    this.elements.error.textContent = text;
  }

  /** The page is connected again: a message that could not go out is no longer said to be stuck (its text is still in the box). */
  reconnected() {
    if (this.elements.error.textContent === UNREACHABLE) {
      this.say('');
    }
  }

  /**
   * A message arrived from the room. When it is the page's own that got no answer (the room stored
   * it, and the answer was lost), it was sent after all: the box that still holds it is emptied and
   * "Not sent" taken back.
   * @param {{agent: string, text: string}} message
   */
  arrived(message) {
    const pending = this.pending;
    if (!pending || !sameName(message.agent, pending.agent) || message.text !== pending.text) {
      return;
    }
    if (this.sending) {
      pending.arrived = true; // the post under way tells how it went
      return;
    }
    if (this.boxText() === pending.text) {
      this.sent();
    }
    this.pending = null;
    if (this.elements.error.textContent === UNREACHABLE) {
      this.say('');
    }
  }

  /** Grows the message box with its text, up to a limit set in CSS. */
  fit() {
    const box = this.elements.message;
    box.style.height = 'auto';
    // the height includes the borders (border-box): scrollHeight alone leaves a scrollbar showing
    box.style.height = `${box.scrollHeight + box.offsetHeight - box.clientHeight}px`;
  }

  /**
   * Starts answering a message: the next message sent carries its id as reply_to.
   * @param {{id: number, agent: string, text: string}} message
   */
  startReply(message) {
    const { replying, replyAgent, replySnippet } = this.elements;
    this.replyTo = message.id;
    replyAgent.className = `agent ${colourClass(message.agent)}`;
    replyAgent.textContent = message.agent;
    replySnippet.textContent = snippet(message.text);
    replying.hidden = false;
    // a screen reader says "Replying to coder …" with the message box, as the bar above it shows
    this.elements.message.setAttribute('aria-describedby', REPLYING);
    this.elements.message.focus();
  }

  /** Forgets the message being answered. */
  cancelReply() {
    this.forgetReply();
    this.elements.message.focus();
  }

  /** Forgets the message being answered, leaving the focus where it is. */
  forgetReply() {
    this.replyTo = null;
    this.elements.replying.hidden = true;
    this.elements.message.removeAttribute('aria-describedby');
  }

  /**
   * The host muted this page's name, or unmuted it: Send is off while it lasts and the message box
   * says why, so a person learns it before writing rather than after sending.
   * @param {boolean} muted
   */
  showMuted(muted) {
    this.muted = muted;
    this.elements.send.disabled = muted || this.sending;
    this.elements.message.placeholder = muted ? 'The host muted you: you can read, not post' : 'Message the room';
  }

  /** @returns {string} the message box's text, as it is sent: without blank lines and spaces at its end */
  boxText() {
    return this.elements.message.value.replace(/\s+$/u, '');
  }

  /**
   * Posts the message box's text; shows it at once from the answer (the stream's copy is dropped).
   * Every try of one text goes with the same `idempotency_key`, so that a try whose answer was lost
   * and the next one store it once.
   */
  async send() {
    const { message, askAck } = this.elements;
    // blank lines and spaces at the end say nothing (on a touch screen Enter adds a line before Send)
    const text = this.boxText();
    this.say(''); // a new attempt: the last one's error no longer applies
    if (text.trim() === '') {
      if (message.value !== '') {
        this.say('Nothing to send: the message is only spaces.');
      }
      return;
    }
    if (!this.identity.present()) {
      return;
    }
    // a person writes here: the room never brakes people, and a person's message releases the brake
    const agent = this.identity.name();
    const body = { agent, text, kind: 'human' };
    if (this.replyTo !== null) {
      body.reply_to = this.replyTo;
    }
    if (askAck.checked) {
      body.ack_requested = true;
    }
    body.idempotency_key = this.keyFor(agent, text);
    this.showSending(true);
    try {
      const answer = await this.identity.asHolder('messages', body);
      if (answer === null || this.refusedAs(answer, 'Not sent', ' Your text is still here.')) {
        return;
      }
      const { result } = answer;
      this.sent();
      this.identity.check(); // the name is the person's own now
      if (result.message) {
        this.hooks.onSent(result.message);
      }
    } catch {
      // no answer (none came in time, or the network is down): the room may have stored it all the same
      if (this.pending?.arrived) {
        this.sent();
      } else {
        this.say(UNREACHABLE);
      }
    } finally {
      this.showSending(false);
      message.focus();
    }
  }

  /**
   * The client key of a message to send: the same as the last try's when the name and the text are
   * the same, else a new one.
   * @param {string} agent
   * @param {string} text
   * @returns {string}
   */
  keyFor(agent, text) {
    if (this.pending?.agent !== agent || this.pending.text !== text) {
      this.pending = { agent, text, key: newKey(), arrived: false };
    }
    return this.pending.key;
  }

  /**
   * Shows that a message is on its way ("Sending…", Send off), or no longer is.
   * @param {boolean} sending
   */
  showSending(sending) {
    const { send } = this.elements;
    this.sending = sending;
    send.textContent = sending ? 'Sending…' : 'Send';
    send.disabled = sending || this.muted;
  }

  /** The message is in the room: the box is emptied for the next one, which gets a key of its own. */
  sent() {
    const { message, askAck } = this.elements;
    message.value = '';
    this.fit();
    this.forgetReply();
    askAck.checked = false;
    this.pending = null;
  }

  /**
   * Acknowledges a message as the reader ("I have it", without posting).
   * @param {{id: number}} message
   */
  async ack(message) {
    try {
      // as the name this page holds, like its messages (none yet: the page says to pick one)
      const answer = await this.identity.asPerson(`messages/${message.id}/ack`, { agent: this.identity.name() });
      if (answer === null || this.refusedAs(answer, 'Not acknowledged')) {
        return;
      }
      this.hooks.onAcked(answer.result);
    } catch {
      this.say(unreachable('Not acknowledged'));
    }
  }

  /**
   * Tells why the room did not take what was posted, if it did not: the name could not be held again,
   * the password or the name was refused, the room is gone, or the room's own reason (with when to
   * try again, for a rate limit). The text stays in the box.
   * @param {import('./identity.js').HolderAnswer} answer
   * @param {string} what what the refusal meant ("Not sent")
   * @param {string} [after] said after the reason a name could not be held again
   * @returns {boolean} whether it was refused
   */
  refusedAs({ response, result, refused }, what, after = '') {
    if (refused) {
      this.say(`${what}: ${this.identity.notHeldAgain(result)}${after}`);
    } else if (response.status === 401) {
      this.hooks.onRefused();
    } else if (response.status === 403 && result.code === 'kicked') {
      this.hooks.onKicked(result.blocked_until);
    } else if (roomGone(response.status, result)) {
      this.hooks.onGone();
    } else if (!response.ok) {
      const retry = response.headers.get('Retry-After');
      this.say((result.error || `The server answered ${response.status}.`)
        + (response.status === 429 && retry ? ` Try again in ${retry} s.` : ''));
    } else {
      this.say('');
      return false;
    }
    return true;
  }
}

/**
 * A new client key for a message: a random UUID. `crypto.randomUUID` exists only on HTTPS and
 * localhost pages; elsewhere (a room opened over plain HTTP on a network address) it is made from
 * random bytes the same way.
 * @returns {string}
 */
function newKey() {
  if (typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4: random
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // the RFC 9562 variant
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
