/**
 * What the page knows of the room from two sources at once: answers to its own requests (GET room,
 * GET claims, the newest page's acknowledgements) and the stream's events. An answer tells how the room was when it was asked; an event
 * that arrives while the request is under way is newer, so it is applied again over the answer.
 */
export class StreamedState {
  constructor() {
    /** @type {Set<Array<() => void>>} per request under way, the events that arrived meanwhile */
    this.underWay = new Set();
  }

  /**
   * Applies one of the stream's events now, and again after any answer still under way.
   * @param {() => void} apply
   */
  event(apply) {
    this.underWay.forEach((arrived) => arrived.push(apply));
    apply();
  }

  /**
   * Reads the room's state and applies it, then the events that arrived while it was read.
   * @template T
   * @param {() => Promise<T>} read
   * @param {(answer: T) => void} apply
   */
  async read(read, apply) {
    const arrived = [];
    this.underWay.add(arrived);
    let answer;
    try {
      answer = await read();
    } finally {
      this.underWay.delete(arrived);
    }
    apply(answer);
    arrived.forEach((again) => again());
  }
}

/**
 * Overlapping requests for the same list (a timer's, an action's): an older answer never replaces a
 * newer one already shown, and the list, when given, is aria-busy while any of them is under way.
 */
export class NewestAnswer {
  /** @param {HTMLElement} [list] */
  constructor(list) {
    this.list = list;
    this.asked = 0;
    this.answered = 0;
    this.shown = 0;
  }

  /**
   * Runs one request, and shows its answer unless a newer one was shown first.
   * @template T
   * @param {() => Promise<T|null>} read null: nothing to show (refused, or unreachable)
   * @param {(answer: T) => void} show
   */
  async read(read, show) {
    this.asked += 1;
    const ticket = this.asked;
    this.markBusy();
    let answer;
    try {
      answer = await read();
    } finally {
      this.answered += 1;
      this.markBusy();
    }
    if (answer !== null && answer !== undefined && ticket > this.shown) {
      this.shown = ticket;
      show(answer);
    }
  }

  markBusy() {
    this.list?.setAttribute('aria-busy', String(this.answered < this.asked));
  }
}
