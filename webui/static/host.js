// The host's tools beside the people list: the room's topic (PUT room/topic), the server's named rooms
// (GET rooms), each with a link into it and End (DELETE rooms/NAME/room), and new ones (PUT rooms/NAME).

import { unreachable } from './connection.js';
import { localTime, placeRows } from './render.js';
import { NewestAnswer } from './streamed.js';

/**
 * Shorthand for getElementById.
 * @param {string} id
 * @returns {any}
 */
const $ = (id) => document.getElementById(id);

/** What the server takes as a room's name (its RoomName.PATTERN: a test keeps the two the same). */
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
   * @param {{hostHeaders: () => Record<string, string>, encoded: (secret: string) => string, secret: () => string,
   *   onTopic: (topic: string|null) => void}} h
   *   the host's credentials, a password as a header carries it, the host key itself (for links into
   *   rooms), and where the topic the host set goes
   */
  constructor(h) {
    this.h = h;
    /** Room lists overlap (a timer, an End): an older never replaces a newer. */
    this.roomLists = new NewestAnswer($('rooms-list'));
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
    if (host) {
      // a new login (after a restart, say): what the last one showed may be gone
      $('rooms-result').textContent = '';
      this.listRooms();
    }
  }

  /**
   * Lists the server's named rooms, oldest first: each a link into it as the host, until when it lives,
   * and End. The list is aria-busy while one is asked for.
   */
  async listRooms() {
    await this.roomLists.read(async () => {
      try {
        const response = await fetch(`${serverRoot()}rooms`, { headers: this.h.hostHeaders() });
        return response.ok ? (await response.json()).rooms : null;
      } catch {
        return null;
      }
    }, (rooms) => this.showRooms(rooms));
  }

  /**
   * Shows the rooms, each keeping its row (its link and End button) across the refreshes, so the
   * keyboard's focus stays where it was.
   * @param {{room: string, expires_at: string}[]} rooms
   */
  showRooms(rooms) {
    const rows = this.roomRows || (this.roomRows = new Map());
    for (const name of rows.keys()) {
      if (!rooms.some((room) => room.room === name)) {
        rows.delete(name);
      }
    }
    const items = rooms.map((room) => {
      let item = rows.get(room.room);
      if (!item) {
        item = document.createElement('li');
        const link = document.createElement('a');
        link.target = '_blank';
        link.rel = 'noopener';
        link.textContent = room.room;
        link.title = room.room;
        const until = document.createElement('span');
        until.className = 'room-until';
        const end = document.createElement('button');
        end.type = 'button';
        end.textContent = 'End';
        end.setAttribute('aria-label', `End ${room.room}`);
        end.addEventListener('click', () => this.end(room.room));
        item.append(link, until, end);
        rows.set(room.room, item);
      }
      const [link, until] = item.children;
      link.href = `${roomUrl(room.room)}#password=${encodeURIComponent(this.h.secret())}`;
      until.textContent = `until ${localTime(room.expires_at).short}`;
      until.title = `Gone with its messages at ${localTime(room.expires_at).full} unless someone uses it`;
      return item;
    });
    if (!items.length) {
      const none = document.createElement('li');
      none.className = 'empty';
      none.textContent = 'No named rooms yet.';
      items.push(none);
    }
    placeRows($('rooms-list'), items);
  }

  /**
   * Ends a named room now, once the host confirms: its followers' streams end, its messages and names are gone.
   * @param {string} name
   */
  async end(name) {
    if (!window.confirm(`End the room ${name}? Its messages and names are gone for everyone in it.`)) {
      return;
    }
    const result = $('rooms-result');
    result.textContent = '';
    try {
      const response = await fetch(`${serverRoot()}rooms/${name}/room`, { method: 'DELETE', headers: this.h.hostHeaders() });
      if (!response.ok) {
        const refusal = await response.json().catch(() => ({}));
        result.textContent = refusal.error || `The server answered ${response.status}.`;
      } else {
        result.textContent = `Ended ${name}.`;
      }
    } catch {
      result.textContent = unreachable('Not ended');
      return;
    }
    await this.listRooms();
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
      result.textContent = topic.trim() ? 'Topic set.' : 'Topic cleared.';
      const room = await response.json().catch(() => null);
      if (room) {
        // the box shows the topic as the room keeps it, unless the host typed on meanwhile; the focus
        // stays where it was (in the box, or on Set topic)
        if ($('topic-input').value === topic) {
          $('topic-input').value = room.topic || '';
        }
        this.h.onTopic(room.topic || null); // the stream says so too, but a page that polls hears it only later
      }
    } catch {
      result.textContent = unreachable(topic.trim() ? 'Topic not set' : 'Topic not cleared');
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
      result.textContent = 'A room name is 1-64 ASCII letters, digits, - or _.';
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
      result.textContent = unreachable('Not created');
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
    // names are case-insensitive: the room answers under its own, in lower case
    const access = await response.json().catch(() => ({}));
    name = access.room || name.toLowerCase();
    const url = roomUrl(name);
    const link = document.createElement('a');
    // the host opens it as the Rooms list does, with the host key: the host's tools are there too
    link.href = `${url}#password=${encodeURIComponent(this.h.secret())}`;
    link.target = '_blank';
    link.rel = 'noopener';
    link.textContent = `Open ${name}`;
    result.append(response.status === 201 ? `Created ${name}. ` : `${name} exists; the password is right. `, link,
      document.createElement('br'), `Invite others with ${url} and its password.`);
    $('new-room-form').reset();
    await this.listRooms();
  }
}

/**
 * The page of the named room `name` on this server.
 * @param {string} name
 * @returns {string}
 */
function roomUrl(name) {
  return new URL(`${serverRoot()}rooms/${name}/`, location.href).href;
}
