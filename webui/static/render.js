// Turns message text into DOM nodes. Everything a user wrote goes through textContent or
// createElement: no HTML from a message is ever parsed.

/** Inline pieces other than mentions: `code` and http(s) links. */
const CODE_OR_LINK = '(`[^`\\n]+`)|(https?:\\/\\/[^\\s<>"\'`]+)';

/**
 * **Bold**, as agents write it: the stars open after a space, a line start or an opening bracket, before
 * neither a space nor punctuation, and close before a space, the end or punctuation, around text that
 * does not end with a space, so globs (src/** and docs/**) and a ** b stay as written. At most 300
 * characters are bold at once: each opening looks that far for its close, so a long line of unclosed
 * openings costs its length times 300, not its length squared (seconds for a 64 KB message).
 */
const BOLD = '((?<![^\\s(\\[{"\'])\\*\\*(?=[^\\s*.,;:!?])[^\\n]{0,300}?[^\\s*]\\*\\*(?![^\\s.,;:!?)\\]}"\']))';

/** Characters the regular-expression syntax gives a meaning to, escaped in a name. */
const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/** Punctuation that ends a sentence rather than a link ("see https://x.org." links x.org). */
const LINK_TAIL = /[.,;:!?)\]}'"]+$/;

/** How many colour classes style.css defines for agent names. */
const PALETTE_SIZE = 12;

/**
 * A stable colour class for an agent name: the same name always gets the same colour.
 * @param {string} name
 * @returns {string} a class like "hue-3"
 */
export function colourClass(name) {
  let hash = 2166136261;
  for (const ch of name.toLowerCase()) {
    hash ^= ch.codePointAt(0);
    hash = Math.imul(hash, 16777619);
  }
  return `hue-${(hash >>> 0) % PALETTE_SIZE}`;
}

/**
 * Compares names the way the server does (case-insensitive).
 * @param {string|undefined|null} a
 * @param {string|undefined|null} b
 * @returns {boolean}
 */
export function sameName(a, b) {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

/**
 * Whether a message asks for the reader's attention: it mentions them or is addressed to them.
 * @param {{mentions?: string[], to?: string[]}} message
 * @param {string} reader the reader's display name (may be empty)
 * @returns {boolean}
 */
export function concerns(message, reader) {
  if (!reader) {
    return false;
  }
  const names = [...(message.mentions || []), ...(message.to || [])];
  return names.some((name) => sameName(name, reader));
}

/**
 * The pattern for a message's inline pieces. Which names are mentions is the server's decision
 * (its Mentions rule, sent as the message's `mentions`); this only finds where they are written:
 * `@name` for a listed name, any case, the longest name first, and not inside a longer word
 * (so "x@bob" or "@bobby" does not light up for "bob").
 * @param {string[]} mentions the names the server listed for the message
 * @returns {RegExp}
 */
function inlinePattern(mentions) {
  const names = mentions
    .filter((name) => name !== '')
    .sort((a, b) => b.length - a.length)
    .map((name) => name.replace(SYNTAX, '\\$&'));
  const mention = names.length ? `|((?<![\\p{L}\\p{M}\\p{N}])@(?:${names.join('|')})(?![\\p{L}\\p{M}\\p{N}]))` : '';
  return new RegExp(`${CODE_OR_LINK}|${BOLD}${mention}`, 'giu');
}

/**
 * Renders a message's text: fenced code blocks become monospace blocks, the rest keeps its
 * whitespace, with clickable links, inline code, **bold** and highlighted mentions.
 * @param {string} text the raw message text
 * @param {string} reader the reader's name, whose mentions stand out
 * @param {string[]} [mentions] the names the server found mentioned (the message's `mentions`)
 * @returns {DocumentFragment}
 */
export function renderText(text, reader, mentions = []) {
  const inline = inlinePattern(mentions);
  const fragment = document.createDocumentFragment();
  for (const block of splitFences(withoutBidiControls(text))) {
    if (block.code) {
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      if (block.lang) {
        pre.dataset.lang = block.lang;
      }
      code.textContent = block.text;
      pre.append(code);
      fragment.append(pre);
    } else if (block.text.trim() !== '') {
      const p = document.createElement('p');
      p.dir = 'auto'; // a paragraph in Hebrew or Arabic reads right to left
      appendInline(p, block.text, reader, inline);
      fragment.append(p);
    }
  }
  return fragment;
}

/**
 * The bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) shown as U+FFFD:
 * invisible, they reorder what follows them, so "evil\u202Etxt.exe" would read as another name.
 * Right-to-left text itself needs none of them and shows as written.
 * @param {string} text
 * @returns {string}
 */
export function withoutBidiControls(text) {
  return text.replace(/[\u202A-\u202E\u2066-\u2069]/g, '\uFFFD');
}

/**
 * Splits text into prose and fenced code blocks (``` on a line of its own, optionally with a
 * language). An unclosed fence runs to the end of the text.
 * @param {string} text
 * @returns {{code: boolean, lang?: string, text: string}[]}
 */
export function splitFences(text) {
  const blocks = [];
  let prose = [];
  let code = null;
  for (const line of text.split('\n')) {
    const fence = line.match(/^\s*```\s*([\w+#.-]*)\s*$/);
    if (code === null && fence) {
      if (prose.length) {
        blocks.push({ code: false, text: trimBlankLines(prose.join('\n')) });
      }
      prose = [];
      code = { code: true, lang: fence[1], lines: [] };
    } else if (code !== null && /^\s*```\s*$/.test(line)) {
      blocks.push({ code: true, lang: code.lang, text: code.lines.join('\n') });
      code = null;
    } else if (code !== null) {
      code.lines.push(line);
    } else {
      prose.push(line);
    }
  }
  if (code !== null) {
    blocks.push({ code: true, lang: code.lang, text: code.lines.join('\n') });
  }
  if (prose.length) {
    blocks.push({ code: false, text: trimBlankLines(prose.join('\n')) });
  }
  return blocks;
}

/**
 * Drops blank lines at the start and end of a prose block (the ones around a code fence).
 * @param {string} text
 * @returns {string}
 */
function trimBlankLines(text) {
  return text.replace(/^(\s*\n)+/, '').replace(/(\n\s*)+$/, '');
}

/**
 * Appends prose to an element, turning inline code, links, bold and mentions into elements.
 * @param {HTMLElement} parent
 * @param {string} text
 * @param {string} reader
 * @param {RegExp} inline the message's {@link inlinePattern}
 */
function appendInline(parent, text, reader, inline) {
  let last = 0;
  for (const match of text.matchAll(inline)) {
    let token = match[0];
    let tail = '';
    if (match[2]) {
      tail = (token.match(LINK_TAIL) || [''])[0];
      token = token.slice(0, token.length - tail.length);
    }
    parent.append(text.slice(last, match.index));
    parent.append(inlineNode(match, token, reader, inline));
    parent.append(tail);
    last = match.index + match[0].length;
  }
  parent.append(text.slice(last));
  for (const mention of parent.querySelectorAll('.mention')) {
    if (sameName(mention.dataset.name, reader)) {
      mention.classList.add('mention-me');
    }
  }
}

/**
 * The element for one inline token.
 * @param {RegExpMatchArray} match which alternative matched
 * @param {string} token the token without trailing punctuation
 * @param {string} reader
 * @param {RegExp} inline the message's {@link inlinePattern}, for what bold text holds
 * @returns {Node}
 */
function inlineNode(match, token, reader, inline) {
  if (match[1]) {
    const code = document.createElement('code');
    code.textContent = token.slice(1, -1);
    return code;
  }
  if (match[2]) {
    return link(token);
  }
  if (match[3]) {
    const strong = document.createElement('strong');
    appendInline(strong, token.slice(2, -2), reader, inline);
    return strong;
  }
  const name = token.slice(1);
  const span = document.createElement('span');
  span.className = 'mention';
  span.dataset.name = name;
  span.textContent = token;
  return span;
}

/**
 * A safe link: http(s) only, opens in a new tab, shares neither the opener nor the referrer.
 * @param {string} href
 * @returns {Node}
 */
function link(href) {
  let url;
  try {
    url = new URL(href);
  } catch {
    return document.createTextNode(href);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return document.createTextNode(href);
  }
  const a = document.createElement('a');
  a.href = url.href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.textContent = href;
  return a;
}

/** Formatters made once: building one per message is what makes a long history slow. */
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const DAY = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/**
 * A message's time in the reader's time zone: the time of day, with the date when not today.
 * @param {string} timestamp ISO-8601 with offset
 * @returns {{short: string, full: string, iso: string}}
 */
export function localTime(timestamp) {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) {
    return { short: timestamp, full: timestamp, iso: timestamp };
  }
  const sameDay = date.toDateString() === new Date().toDateString();
  const time = TIME.format(date);
  const short = sameDay ? time : `${DAY.format(date)} ${time}`;
  return { short, full: FULL.format(date), iso: date.toISOString() };
}

/**
 * Makes these rows a list's children, in this order, moving only those out of place, so that a redrawn
 * list keeps the keyboard's focus where it was. When the focused row had to move, its control has the
 * focus again; when the row is gone, the control in the same place of the row now where it was (or
 * the last row) has it, else the list's focusable panel.
 * @param {HTMLElement} list
 * @param {HTMLElement[]} rows the list's rows, old ones kept and updated, new ones made
 */
export function placeRows(list, rows) {
  const focused = list.contains(document.activeElement) ? document.activeElement : null;
  const controls = (row) => [...row.querySelectorAll('a[href], button')];
  const oldRow = focused && [...list.children].find((row) => row.contains(focused));
  const place = oldRow ? [[...list.children].indexOf(oldRow), controls(oldRow).indexOf(focused)] : null;
  let next = list.firstElementChild;
  for (const row of rows) {
    if (row === next) {
      next = next.nextElementSibling;
    } else {
      list.insertBefore(row, next);
    }
  }
  while (next) {
    const gone = next;
    next = next.nextElementSibling;
    gone.remove();
  }
  if (!focused || document.activeElement === focused) {
    return;
  }
  if (focused.isConnected) {
    focused.focus({ preventScroll: true });
    return;
  }
  const row = list.children[Math.min(place[0], list.children.length - 1)];
  const twin = row && controls(row)[Math.max(place[1], 0)];
  (twin || list.closest('[tabindex]'))?.focus({ preventScroll: true });
}
