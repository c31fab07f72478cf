import { unreachable } from './connection.js';
import { colourClass, localTime } from './render.js';
import { markMatches, snippet } from './timeline.js';

/** Matches asked for per search (the newest). */
const RESULTS = 50;
/** The server's limit on a search term (characters). */
const MAX_TERM = 200;
/** The phone layout (style.css), where the results cover the conversation: choosing one closes them. */
const NARROW = window.matchMedia('(max-width: 720px)');

/**
 * The search box: asks the server for the retained messages whose text contains the term
 * (`messages?q=`), lists them newest first with the match marked, and jumps to the one chosen,
 * loading older history until it is on screen (on a narrow screen, closing the results first).
 */
export class Search {
  /**
   * @param {HTMLFormElement} form
   * @param {HTMLInputElement} input
   * @param {HTMLElement} panel the results panel
   * @param {{headers: () => Record<string, string>, onUnauthorized: () => void, jump: (id: number, term: string) => void,
   *   closedOnChoosing: () => void}} hooks `closedOnChoosing`: a result chosen on a narrow screen closed the results
   */
  constructor(form, input, panel, hooks) {
    this.form = form;
    this.input = input;
    this.panel = panel;
    this.hooks = hooks;
    this.input.maxLength = MAX_TERM;
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.run(this.input.value.trim());
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        this.close();
      }
    });
    // Escape from a result too: the results close and the search box has the focus again
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        this.close();
        this.input.focus();
      }
    });
    this.input.addEventListener('search', () => {
      if (this.input.value === '') {
        this.close();
      }
    });
    // made once, so that screen readers hear each search's outcome (a live region must be there before
    // its text changes): the heading says it, a polite status; the list below is drawn anew each time
    const head = document.createElement('div');
    head.className = 'results-head';
    const title = document.createElement('h2');
    title.className = 'results-title';
    this.status = document.createElement('span');
    this.status.setAttribute('role', 'status');
    title.append(this.status);
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'results-close';
    close.textContent = '×';
    close.setAttribute('aria-label', 'Close the search results');
    close.addEventListener('click', () => {
      this.close();
      this.input.focus();
    });
    head.append(title, close);
    this.list = document.createElement('ol');
    this.list.className = 'results-list';
    this.panel.replaceChildren(head, this.list);
  }

  /**
   * Searches and shows the results.
   * @param {string} term
   */
  async run(term) {
    if (term === '') {
      this.close();
      return;
    }
    this.show([], term, 'Searching…');
    try {
      const response = await fetch(`messages?q=${encodeURIComponent(term)}&limit=${RESULTS}`, {
        headers: this.hooks.headers(),
        cache: 'no-store',
      });
      if (response.status === 401) {
        this.hooks.onUnauthorized();
        return;
      }
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        this.show([], term, body.error || `The server answered ${response.status}.`);
        return;
      }
      const messages = body.messages || [];
      const heading = messages.length === 0 ? `No message contains “${term}”.`
        : `${messages.length === RESULTS ? `The newest ${RESULTS}` : messages.length} ${messages.length === 1 ? 'message contains' : 'messages contain'} “${term}”`;
      this.show(messages.reverse(), term, heading);
    } catch {
      this.show([], term, unreachable('Not searched'));
    }
  }

  /**
   * @param {{id: number, agent: string, text: string, timestamp: string}[]} messages newest first
   * @param {string} term
   * @param {string} heading
   */
  show(messages, term, heading) {
    this.status.textContent = heading;
    const items = [];
    for (const message of messages) {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'result';
      button.dataset.id = String(message.id);
      const who = document.createElement('span');
      who.className = `agent ${colourClass(message.agent)}`;
      who.textContent = message.agent;
      const when = document.createElement('time');
      const time = localTime(message.timestamp);
      when.dateTime = time.iso;
      when.textContent = time.short;
      const text = document.createElement('span');
      text.className = 'result-text';
      text.textContent = around(message.text, term);
      markMatches(text, term);
      const head = document.createElement('span');
      head.className = 'result-head';
      head.append(who, ' ', when);
      button.append(head, ' ', text);
      button.addEventListener('click', () => this.choose(message.id, term));
      item.append(button);
      items.push(item);
    }
    this.list.replaceChildren(...items);
    this.panel.hidden = false;
  }

  /**
   * Goes to a result. On a narrow screen the results close first, as Escape closes them: they would
   * hide the message.
   * @param {number} id
   * @param {string} term
   */
  choose(id, term) {
    if (NARROW.matches) {
      this.close();
      this.hooks.closedOnChoosing(); // the result had the focus: it goes to the conversation, where the message is
    }
    this.hooks.jump(id, term);
  }

  /** Hides the results. */
  close() {
    this.panel.hidden = true;
    this.status.textContent = '';
    this.list.replaceChildren();
  }
}

/**
 * The part of a text around the first match, on one line.
 * @param {string} text
 * @param {string} term
 * @returns {string}
 */
function around(text, term) {
  const line = text.replace(/\s+/g, ' ').trim();
  const at = line.toLowerCase().indexOf(term.toLowerCase());
  if (at < 40) {
    return snippet(line);
  }
  return snippet(`…${line.slice(at - 30)}`);
}
