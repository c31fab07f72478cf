import { PAGE } from './connection.js';

/** How close to the top (px) the reader scrolls before the next older page is fetched. */
const NEAR_TOP_PX = 600;
/** Messages shown before a search result jumped to, for context. */
const CONTEXT = 20;
/** The most messages one jump back loads (the most a room keeps by default). */
const JUMP_LIMIT = 10000;

/**
 * The older history, a page at a time: the room opens on its newest page, and each time the reader
 * scrolls near the top the page before the oldest shown is fetched (`before=ID&limit=N`) and put
 * above it without moving what the reader is looking at.
 */
export class History {
  /**
   * @param {HTMLElement} log the scrolling list
   * @param {import('./timeline.js').Timeline} timeline
   * @param {{headers: () => Record<string, string>, onUnauthorized: () => void}} hooks
   */
  constructor(log, timeline, hooks) {
    this.log = log;
    this.timeline = timeline;
    this.hooks = hooks;
    /** Whether older messages may exist on the server that are not shown yet. */
    this.more = false;
    /** @type {Promise<boolean>|null} the page being fetched */
    this.loading = null;
    this.log.addEventListener('scroll', () => this.onScroll(), { passive: true });
  }

  /**
   * The newest page is on screen.
   * @param {{id: number}[]} messages
   * @param {boolean} more whether the page was full (older ones may exist)
   */
  opened(messages, more) {
    this.more = more;
    if (!more && messages.length > 0 && messages[0].id > 1) {
      this.timeline.noticeAtTop(`Older messages are no longer kept (history starts at #${messages[0].id}).`);
    }
    // a page that does not fill the screen leaves nothing to scroll: fetch more at once
    requestAnimationFrame(() => this.onScroll());
  }

  /** The timeline took its oldest messages off the page: scrolling up fetches them again. */
  trimmed() {
    this.more = true;
  }

  /** Fetches the page before the oldest shown when the reader is near the top. */
  onScroll() {
    if (this.more && !this.loading && this.log.scrollTop < NEAR_TOP_PX) {
      this.older(PAGE).then((loaded) => {
        if (loaded) {
          requestAnimationFrame(() => this.onScroll());
        }
      });
    }
  }

  /**
   * Fetches and shows the `count` messages before the oldest shown.
   * @param {number} count
   * @returns {Promise<boolean>} whether a page was added
   */
  older(count) {
    if (this.loading) {
      return this.loading;
    }
    const before = this.timeline.oldestId();
    if (!this.more || before === null) {
      return Promise.resolve(false);
    }
    this.loading = this.fetchPage(before, count).finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /**
   * @param {number|null} before
   * @param {number} count
   * @param {number} [after] only messages after this id
   * @returns {Promise<boolean>}
   */
  async fetchPage(before, count, after) {
    if (before === null) {
      return false;
    }
    const range = after === undefined ? '' : `&after=${after}`;
    try {
      const response = await fetch(`messages?before=${before}&limit=${count}${range}`, {
        headers: this.hooks.headers(),
        cache: 'no-store',
      });
      if (response.status === 401) {
        this.hooks.onUnauthorized();
        return false;
      }
      if (!response.ok) {
        return false;
      }
      const { messages = [] } = await response.json();
      if (before !== this.timeline.oldestId()) {
        return false; // the room restarted meanwhile: this page belongs to another list
      }
      this.timeline.prepend(messages);
      if (messages.length < count && after === undefined) {
        this.more = false;
        const oldest = messages.length > 0 ? messages[0].id : before;
        if (oldest > 1) {
          this.timeline.noticeAtTop(`Older messages are no longer kept (history starts at #${oldest}).`);
        }
      }
      return messages.length > 0;
    } catch {
      return false;
    }
  }

  /**
   * Loads the older history down to message `id` (and a few before it) in one request, so a jump
   * far back costs one answer and one layout instead of a page per screen.
   * @param {number} id
   * @returns {Promise<boolean>} whether it is shown
   */
  async reach(id) {
    for (;;) {
      const oldest = this.timeline.oldestId();
      if (this.timeline.shows(id) || !this.more || oldest === null || oldest <= id) {
        return this.timeline.shows(id);
      }
      if (this.loading) {
        await this.loading;
        continue;
      }
      const from = Math.max(0, id - 1 - CONTEXT);
      this.loading = this.fetchPage(oldest, JUMP_LIMIT, from).finally(() => {
        this.loading = null;
      });
      if (!(await this.loading) && this.timeline.oldestId() === oldest) {
        return this.timeline.shows(id);
      }
      // shown now, or the page was trimmed while the answer came (which is then dropped): once more
    }
  }
}
