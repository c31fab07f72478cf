/**
 * The small marks beside a name, alike in the conversation and in "In the room": a person or an
 * agent, a held name, waiting for messages, muted. Each is a picture the stylesheet draws (no emoji
 * font needed) with a name of its own for screen readers and a tooltip that says what it means.
 */

/** A held name's mark: only this one is a check mark (acknowledgements are words and an Ack button). */
export const HELD_LABEL = 'holds its name';

/**
 * A person's or an agent's mark.
 * @param {string|undefined} kind `human`, else an agent
 * @returns {HTMLElement}
 */
export function kindMark(kind) {
  return mark(`kind kind-${kind === 'human' ? 'human' : 'agent'}`, kindName(kind));
}

/**
 * What a kind of sender is called.
 * @param {string|undefined} kind `human`, else an agent
 * @returns {string} "a person" or "an agent"
 */
export function kindName(kind) {
  return kind === 'human' ? 'a person' : 'an agent';
}

/**
 * The mark of a name held with its token.
 * @param {string} title what it means where it is shown
 * @returns {HTMLElement}
 */
export function heldMark(title) {
  return mark('verified', HELD_LABEL, title);
}

/**
 * A picture with a name: `role="img"` and `aria-label`, so screen readers say the name, not a symbol.
 * @param {string} className which picture (style.css draws it)
 * @param {string} label its accessible name
 * @param {string} [title] its tooltip, the name itself by default
 * @returns {HTMLElement}
 */
export function mark(className, label, title = label) {
  const element = document.createElement('span');
  element.className = `mark ${className}`;
  element.setAttribute('role', 'img');
  element.setAttribute('aria-label', label);
  element.title = title;
  return element;
}
