import { roomGone, unreachable } from './connection.js';
import { colourClass } from './render.js';
import { snippet } from './timeline.js';

/** A screen whose main pointer is a finger (a phone, a tablet): no hardware keyboard to count on. */
const TOUCH = window.matchMedia('(pointer: coarse)');
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
    this.elements.message.focus();
  }

  /** Forgets the message being answered. */
  cancelReply() {
    this.replyTo = null;
    this.elements.replying.hidden = true;
    this.elements.message.focus();
  }

  /**
   * The host muted this page's name, or unmuted it: Send is off while it lasts and the message box
   * says why, so a person learns it before writing rather than after sending.
   * @param {boolean} muted
   */
  showMuted(muted) {
    this.muted = muted;
    this.elements.send.disabled = muted;
    this.elements.message.placeholder = muted ? 'The host muted you: you can read, not post' : 'Message the room';
  }

  /** Posts the message box's text; shows it at once from the answer (the stream's copy is dropped). */
  async send() {
    const { message, send, askAck } = this.elements;
    // blank lines and spaces at the end say nothing (on a touch screen Enter adds a line before Send)
    const text = message.value.replace(/\s+$/u, '');
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
    const body = { agent: this.identity.name(), text, kind: 'human' };
    if (this.replyTo !== null) {
      body.reply_to = this.replyTo;
    }
    if (askAck.checked) {
      body.ack_requested = true;
    }
    send.disabled = true;
    try {
      const answer = await this.identity.asHolder('messages', body);
      if (answer === null || this.refusedAs(answer, 'Not sent', ' Your text is still here.')) {
        return;
      }
      const { result } = answer;
      message.value = '';
      this.fit();
      if (this.replyTo !== null) {
        this.cancelReply();
      }
      askAck.checked = false;
      this.identity.check(); // the name is the person's own now
      if (result.message) {
        this.hooks.onSent(result.message);
      }
    } catch {
      this.say(UNREACHABLE);
    } finally {
      send.disabled = this.muted;
      message.focus();
    }
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
