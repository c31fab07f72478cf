// The host's tools beside the people list: the room's topic (PUT room/topic), and new named rooms
// beside this server's (PUT rooms/NAME) with a link into each.

/**
 * Shorthand for getElementById.
 * @param {string} id
 * @returns {any}
 */
const $ = (id) => document.getElementById(id);

/** What the server takes as a room's name. */
const ROOM_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The server's root, whichever of its rooms this page shows: `/` for its own room (`/` or
 * `/index.html`), and `/rooms/NAME/` lies under it.
 * @returns {string}
 */
function serverRoot() {
  return location.pathname.replace(/[^/]*$/, '').replace(/rooms\/[^/]+\/$/, '');
}

export class HostTools {
  /**
   * @param {{hostHeaders: () => Record<string, string>, encoded: (secret: string) => string}} h the host's
   *   credentials, and a password as a header carries it
   */
  constructor(h) {
    this.h = h;
    $('topic-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.setTopic($('topic-input').value);
    });
    $('new-room-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.create($('new-room-name').value.trim(), $('new-room-password').value, $('new-room-observer').value);
    });
  }

  /**
   * Shows the tools to the host only: they need the host key.
   * @param {boolean} host
   */
  setHost(host) {
    $('host-tools').hidden = !host;
  }

  /**
   * What the topic box holds when the host is not editing it: the room's topic as it is now.
   * @param {string|null} topic
   */
  showTopic(topic) {
    const input = $('topic-input');
    if (document.activeElement !== input) {
      input.value = topic || '';
    }
  }

  /**
   * Sets the room's topic (an empty one clears it); everyone following the room is told, this page too.
   * @param {string} topic
   */
  async setTopic(topic) {
    const result = $('topic-result');
    result.textContent = '';
    try {
      const response = await fetch('room/topic', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', ...this.h.hostHeaders() },
        body: JSON.stringify({ topic }),
      });
      if (!response.ok) {
        const refusal = await response.json().catch(() => ({}));
        result.textContent = refusal.error || `The server answered ${response.status}.`;
        return;
      }
      $('topic-input').blur();
      result.textContent = topic.trim() ? 'Topic set.' : 'Topic cleared.';
    } catch {
      result.textContent = 'The server cannot be reached. Try again.';
    }
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
