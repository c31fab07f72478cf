import { answersRoomGone, unreachable } from './connection.js';

/** This room's path on the server (`/`, `/rooms/NAME/`): what keeps one room's secrets apart from another's. */
export const ROOM_PATH = location.pathname.replace(/[^/]*$/, '');
/**
 * Where the room password is kept: for this tab's session only, one per room (the server's own
 * room at `/` and each named room at `/rooms/NAME/` have their own passwords).
 */
const PASSWORD_KEY = `agent-chat.password:${ROOM_PATH}`;

/** What the login form says when a password does not open the room. */
const LOGIN_REFUSALS = {
  wrong: 'That password is not right.',
  gone: 'There is no room at this address (or no longer): check the link, or ask the host for a new one.',
  unreachable: `${unreachable()} Try again.`,
};

/**
 * What the login form says while the room refuses every password from this address (too many wrong
 * ones were tried from it), right or not.
 * @param {string|null} retryAfter the seconds the room gave (Retry-After)
 * @returns {string}
 */
function throttled(retryAfter) {
  return `Too many wrong passwords were tried from this address. ${retryAfter ? `Try again in ${retryAfter} s.` : 'Try again later.'}`;
}

/** Secrets that turned out to be the server's host key rather than a room password. */
const HOST_KEYS = new Set();

/**
 * @param {string} secret
 * @returns {boolean} whether the secret is the server's host key (it opened the room as the host's)
 */
export function isHostKey(secret) {
  return HOST_KEYS.has(secret);
}

/**
 * The headers that carry a secret: the room password, or the host key as a bearer key. A password that
 * is not printable ASCII, or that begins with `UTF-8''`, goes as RFC 8187 writes it (`UTF-8''` and its
 * percent-encoded UTF-8 bytes, which the server reads back): fetch refuses a header beyond Latin-1 and
 * sends Latin-1 as single bytes.
 * @param {string} secret
 * @returns {Record<string, string>}
 */
export function authHeaders(secret) {
  if (HOST_KEYS.has(secret)) {
    return { Authorization: `Bearer ${secret}` };
  }
  return { 'X-Room-Password': encodedSecret(secret) };
}

/**
 * A password as a header carries it (see authHeaders).
 * @param {string} secret
 * @returns {string}
 */
export function encodedSecret(secret) {
  const plain = /^[\x20-\x7e]*$/.test(secret) && !/^utf-8''/i.test(secret);
  return plain ? secret : `UTF-8''${encodeURIComponent(secret)}`;
}

/**
 * Reads the password from the link, keeps it for the session and takes it out of the address bar,
 * so it stays out of history and out of copied links. The link carries it in the fragment
 * (`/#password=…`), which browsers never send, so it reaches no server, proxy or tunnel log;
 * `/?password=…` (older links) still works.
 * @returns {string|null} the password the link brought, or the one this tab kept for the room
 */
function takePasswordFromLink() {
  const url = new URL(window.location.href);
  const fragment = new URLSearchParams(url.hash.slice(1));
  const fromLink = fragment.get('password') ?? url.searchParams.get('password');
  if (fromLink !== null) {
    url.searchParams.delete('password');
    fragment.delete('password');
    const hash = fragment.toString();
    window.history.replaceState(null, '', url.pathname + url.search + (hash ? `#${hash}` : ''));
    if (fromLink !== '') {
      sessionStorage.setItem(PASSWORD_KEY, fromLink);
    }
  }
  return sessionStorage.getItem(PASSWORD_KEY);
}

/** Forgets the password this tab kept for the room (it stopped working). */
export function forgetPassword() {
  sessionStorage.removeItem(PASSWORD_KEY);
}

/**
 * Checks a password against the server; what is not the room's password may be the host's key.
 * @param {string} password
 * @returns {Promise<{verdict: 'ok'|'wrong'|'gone'|'unreachable'|'throttled', retryAfter?: string|null}>}
 */
async function checkPassword(password) {
  try {
    const response = await fetch('agents', { headers: authHeaders(password), cache: 'no-store' });
    if (response.status === 429) {
      // too many wrong passwords from this address: the room takes none, the right one included, for now
      return { verdict: 'throttled', retryAfter: response.headers.get('Retry-After') };
    }
    if (response.status === 401) {
      // the room tells the host key apart from a wrong password (and does not count it as one);
      // a host key goes as it is, and fetch refuses a header beyond Latin-1
      const { code } = await response.json().catch(() => ({}));
      const asHost = code === 'host_key_as_password' && /^[\0-\xff]*$/.test(password)
        && await fetch('agents', { headers: { Authorization: `Bearer ${password}` }, cache: 'no-store' });
      if (asHost && asHost.ok) {
        HOST_KEYS.add(password);
        return { verdict: 'ok' };
      }
      return { verdict: 'wrong' };
    }
    if (await answersRoomGone(response)) {
      return { verdict: 'gone' };
    }
    return { verdict: response.ok ? 'ok' : 'unreachable' };
  } catch {
    return { verdict: 'unreachable' };
  }
}

/**
 * What the login form says when a password did not open the room.
 * @param {{verdict: string, retryAfter?: string|null}} check
 * @returns {string}
 */
function refusal({ verdict, retryAfter }) {
  return verdict === 'throttled' ? throttled(retryAfter) : LOGIN_REFUSALS[verdict];
}

/**
 * Shows the login form, with a reason when there is one.
 * @param {string} [reason]
 */
export function showLogin(reason) {
  document.getElementById('room').hidden = true;
  document.getElementById('login').hidden = false;
  document.getElementById('login-error').textContent = reason || '';
  // the field says why it was refused, read with it
  const input = document.getElementById('login-password');
  if (reason) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'login-error');
  } else {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
  input.focus();
}

/**
 * Wires the login form: a correct password enters the room.
 * @param {(password: string) => void} enter
 */
function setUpLogin(enter) {
  const form = document.getElementById('login-form');
  const input = document.getElementById('login-password');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const password = input.value;
    const button = form.querySelector('button');
    button.disabled = true;
    const check = await checkPassword(password);
    button.disabled = false;
    if (check.verdict === 'ok') {
      sessionStorage.setItem(PASSWORD_KEY, password);
      input.value = '';
      enter(password);
    } else {
      showLogin(refusal(check));
    }
  });
}

/**
 * Opens the room with the password the link brought or this tab kept, once the server takes it;
 * otherwise shows the login form, which opens it once a password works.
 * @param {(password: string) => void} enter
 */
export async function logIn(enter) {
  setUpLogin(enter);
  const password = takePasswordFromLink();
  if (!password) {
    showLogin();
    return;
  }
  const check = await checkPassword(password);
  if (check.verdict === 'wrong') {
    forgetPassword();
    showLogin(refusal(check));
  } else if (check.verdict === 'throttled') {
    // the kept password may be right: it stays for a reload once the wait is over
    showLogin(refusal(check));
  } else {
    // when the server is unreachable, the room shows "reconnecting" and catches up once it is back
    enter(password);
  }
}
