// The host's form for named rooms: creates one beside this server's rooms (PUT rooms/NAME) and links to it.

/**
 * Shorthand for getElementById.
 * @param {string} id
 * @returns {any}
 */
const $ = (id) => document.getElementById(id);

/** What the server takes as a room's name. */
const ROOM_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The server's root, whichever of its rooms this page shows: `/` for its own room, and `/rooms/NAME/`
 * lies under it.
 * @returns {string}
 */
export function serverRoot() {
  return location.pathname.replace(/rooms\/[^/]*\/?$/, '');
}

export class NewRoomForm {
  /**
   * @param {{hostHeaders: () => Record<string, string>, encoded: (secret: string) => string}} h the host's
   *   credentials, and a password as a header carries it
   */
  constructor(h) {
    this.h = h;
    $('new-room-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.create($('new-room-name').value.trim(), $('new-room-password').value, $('new-room-observer').value);
    });
  }

  /**
   * Shows the form to the host only: creating rooms needs the host key.
   * @param {boolean} host
   */
  setHost(host) {
    $('new-room').hidden = !host;
  }

  /**
   * Creates the room, or checks the password of one that exists, and says how it went.
   * @param {string} name
   * @param {string} password
   * @param {string} observer a password of the room's own for guests who only watch, or ''
   */
  async create(name, password, observer) {
    const result = $('new-room-result');
    result.replaceChildren();
    if (!ROOM_NAME.test(name)) {
      result.textContent = 'A room name is 1-64 letters, digits, - or _.';
      return;
    }
    const headers = { ...this.h.hostHeaders(), 'X-Room-Password': this.h.encoded(password) };
    if (observer) {
      headers['X-Observer-Password'] = this.h.encoded(observer);
    }
    let response;
    try {
      response = await fetch(`${serverRoot()}rooms/${name}`, { method: 'PUT', headers });
    } catch {
      result.textContent = 'The server cannot be reached. Try again.';
      return;
    }
    if (response.status === 401) {
      result.textContent = `A room ${name} exists already, with another password.`;
      return;
    }
    if (!response.ok) {
      const refusal = await response.json().catch(() => ({}));
      result.textContent = refusal.error || `The server answered ${response.status}.`;
      return;
    }
    const url = new URL(`${serverRoot()}rooms/${name}/`, location.href).href;
    const link = document.createElement('a');
    link.href = `${url}#password=${encodeURIComponent(password)}`;
    link.target = '_blank';
    link.rel = 'noopener';
    link.textContent = `Open ${name}`;
    result.append(response.status === 201 ? `Created ${name}. ` : `${name} exists; the password is right. `, link,
      document.createElement('br'), `Invite others with ${url} and its password.`);
    $('new-room-form').reset();
  }
}
