// The web UI for people who use a keyboard, a screen reader, a zoomed or high-contrast screen: where the
// focus goes, what assistive technology is told (as Chromium's accessibility tree has it), and contrast.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, HOST_KEY, Room, enter, eventually, launch, marker, newPage, newRoom } from './harness.js';

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/**
 * What a screen reader is told of an element: its role, name and description in Chromium's
 * accessibility tree.
 * @param {import('playwright-core').Page} page
 * @param {string} selector
 * @returns {Promise<{role: string, name: string, description: string}>}
 */
async function spoken(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const node = nodes[0];
    return { role: node.role?.value ?? '', name: node.name?.value ?? '', description: node.description?.value ?? '' };
  } finally {
    await cdp.detach();
  }
}

/**
 * What has the keyboard's focus: its accessible label, else its id, else its tag.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<string>}
 */
function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    return element?.getAttribute('aria-label') || element?.id || element?.tagName || 'nothing';
  });
}

/**
 * The page reads the people (and, for the host, the rooms) every 300 ms instead of every 30 s.
 * @param {import('playwright-core').Page} page
 */
async function refreshOften(page) {
  // once the document is parsed, before the page's module scripts run
  await page.addInitScript(() => document.addEventListener('readystatechange', () => {
    if (document.readyState === 'interactive') {
      document.documentElement.dataset.peopleRefreshMs = '300';
    }
  }));
}

/**
 * Installs `window.contrast(element, pseudo?)` in the page: the contrast ratio of an element's text as
 * drawn (its colour's alpha times every opacity above it) against the first background behind it,
 * `window.ratio(a, b)` of two CSS colours, and `window.behind(element)`, the first background behind an element.
 * @param {import('playwright-core').Page} page
 */
function installContrast(page) {
  return page.evaluate(() => {
    const rgba = (colour) => {
      const [r, g, b, a = 1] = colour.match(/[\d.]+/g).map(Number);
      return { r, g, b, a };
    };
    const luminance = (c) => [c.r, c.g, c.b].map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a, b) => {
      const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (light + 0.05) / (dark + 0.05);
    };
    window.ratio = (a, b) => ratio(rgba(a), rgba(b));
    window.behind = (el) => {
      for (let node = el.parentElement; node instanceof Element; node = node.parentElement) {
        if (rgba(getComputedStyle(node).backgroundColor).a > 0) {
          return getComputedStyle(node).backgroundColor;
        }
      }
      return getComputedStyle(document.body).backgroundColor;
    };
    window.contrast = (el, pseudo) => {
      const text = rgba(getComputedStyle(el, pseudo).color);
      let alpha = text.a;
      let behind = null;
      for (let node = el; node instanceof Element; node = node.parentElement) {
        alpha *= Number(getComputedStyle(node).opacity);
        const background = rgba(getComputedStyle(node).backgroundColor);
        if (!behind && background.a > 0) {
          behind = background;
        }
      }
      behind ||= rgba(getComputedStyle(document.body).backgroundColor);
      const drawn = { r: text.r * alpha + behind.r * (1 - alpha), g: text.g * alpha + behind.g * (1 - alpha),
        b: text.b * alpha + behind.b * (1 - alpha) };
      return ratio(drawn, behind);
    };
  });
}

describe('keyboard focus', () => {
  test('the host\'s Mute, Unmute and End keep the keyboard\'s focus while the people and rooms lists are drawn again', async () => {
    const room = await newRoom('focus-kept');
    await room.post('Noisy', marker('hello'));
    const other = await newRoom('focus-listed');
    const { page, errors, context } = await newPage(browser);
    await refreshOften(page);
    const reads = { agents: 0, rooms: 0 };
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (path.endsWith('/agents')) {
        reads.agents += 1;
      } else if (path === '/rooms') {
        reads.rooms += 1;
      }
    });
    const readAgain = async (list) => {
      const seen = reads[list];
      await eventually(() => reads[list], (n) => n >= seen + 3, `the ${list} list read again`);
    };
    await enter(page, new Room(room.url, HOST_KEY));
    await page.getByRole('button', { name: 'Mute Noisy', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Unmute Noisy', exact: true }).waitFor();
    assert.equal(await focused(page), 'Unmute Noisy', 'Mute became Unmute under the focus');
    await room.post('lead', marker('a message: the list is read again'));
    await readAgain('agents');
    assert.equal(await focused(page), 'Unmute Noisy', 'the people list was drawn again around it');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Mute Noisy', exact: true }).waitFor();
    assert.equal(await focused(page), 'Mute Noisy', 'and back');

    const end = `End ${other.name()}`;
    await page.getByRole('button', { name: end, exact: true }).focus();
    await readAgain('rooms');
    assert.equal(await focused(page), end, 'the rooms list was drawn again around it');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('closing the search results, choosing one on a narrow screen, exporting and setting the topic leave the focus somewhere sensible', async () => {
    const room = await newRoom('focus-after');
    const needle = marker('needle');
    await room.post('builder', `a message with the ${needle} in it`);
    const { page, errors, context } = await newPage(browser);
    await enter(page, new Room(room.url, HOST_KEY), 'Host');
    const search = page.getByRole('searchbox', { name: 'Search messages' });
    const results = page.getByRole('region', { name: 'Search results' });

    await search.fill(needle);
    await search.press('Enter');
    await results.getByRole('button', { name: 'Close the search results' }).click();
    await results.waitFor({ state: 'hidden' });
    assert.equal(await focused(page), 'Search messages', '× gives the focus back to the search box');

    // the menu by the keyboard: its button goes with it, the focus back on Export
    await page.locator('#export summary').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'BUTTON');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    assert.match(download.suggestedFilename(), /\.html$/);
    await eventually(() => page.locator('#export').evaluate((menu) => menu.open), (open) => !open, 'the menu closed');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'SUMMARY', 'the focus back on Export');

    const topic = page.getByRole('textbox', { name: 'Topic' });
    await topic.fill(marker('Topic'));
    await topic.press('Enter');
    await page.locator('#topic-result', { hasText: 'Topic set.' }).waitFor();
    assert.equal(await focused(page), 'topic-input', 'still in the topic box');

    // narrow: choosing a result closes the results, and the message it names has the focus
    await page.setViewportSize({ width: 600, height: 800 });
    await search.fill(needle);
    await search.press('Enter');
    await results.locator('.result').first().click();
    await results.waitFor({ state: 'hidden' });
    await eventually(() => page.evaluate(() => document.activeElement?.textContent ?? ''), (text) => text.includes(needle),
      'the message chosen has the focus');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('on a narrow screen the opened people list has the focus, and Escape gives it back to its button', async () => {
    const room = await newRoom('focus-people');
    for (let i = 1; i <= 20; i += 1) {
      await room.post('builder', `line ${i}`);
    }
    const { page, errors, context } = await newPage(browser, { viewport: { width: 600, height: 800 } });
    await enter(page, room, 'Kay');
    const toggle = page.getByRole('button', { name: /online/ });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('complementary').waitFor();
    assert.equal(await focused(page), 'people', 'not 20 messages\' buttons away');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.getElementById('people').contains(document.activeElement)
      || document.activeElement?.closest('#composer') !== null), true, 'the next Tab goes on from the list');
    await page.keyboard.press('Escape');
    await page.getByRole('complementary').waitFor({ state: 'hidden' });
    assert.equal(await focused(page), 'people-toggle');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the room\'s topic, cut short, is shown whole from the keyboard', async () => {
    const room = await newRoom('topic-keys');
    const topic = `Ship the 2.0 release: ${'freeze on Friday, notes by Thursday, nobody touches the build; '.repeat(4)}`.trim();
    await room.setTopic(topic);
    const { page, errors, context } = await newPage(browser, { viewport: { width: 600, height: 800 } });
    await enter(page, room, 'Kay');
    const line = page.getByRole('button', { name: topic });
    await line.waitFor();
    await line.focus();
    assert.equal(await focused(page), 'topic', 'the topic takes the focus');
    assert.equal(await line.getAttribute('aria-expanded'), 'false');
    const height = () => line.evaluate((el) => el.getBoundingClientRect().height);
    const folded = await height();
    await page.keyboard.press('Enter');
    assert.equal(await line.getAttribute('aria-expanded'), 'true');
    assert.ok(await height() > 1.5 * folded, 'shown whole, on more lines');
    await page.keyboard.press(' ');
    assert.equal(await line.getAttribute('aria-expanded'), 'false');
    assert.equal(await height(), folded, 'one line again');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('what a screen reader is told', () => {
  test('the outcome of each search is a polite status under the results\' heading', async () => {
    const room = await newRoom('search-said');
    const needle = marker('said');
    await room.post('builder', `first ${needle}`);
    await room.post('builder', `second ${needle}`);
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Sam');
    const search = page.getByRole('searchbox', { name: 'Search messages' });
    const results = page.getByRole('region', { name: 'Search results' });
    await search.fill(needle);
    await search.press('Enter');
    const status = results.getByRole('status');
    await eventually(() => status.textContent(), (text) => text === `2 messages contain “${needle}”`, 'the outcome');
    assert.equal(await results.getByRole('heading').textContent(), `2 messages contain “${needle}”`, 'the results\' heading');
    // a live region is heard when its text changes: the same one says the next outcome
    await status.evaluate((element) => { element.dataset.first = 'yes'; });
    await search.fill('nowhere to be found');
    await search.press('Enter');
    await eventually(() => status.textContent(), (text) => text.startsWith('No message contains'), 'the next outcome');
    assert.equal(await status.getAttribute('data-first'), 'yes', 'said by the same status');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the message box says which message it answers while a reply is started', async () => {
    const room = await newRoom('reply-said');
    const question = await room.post('coder', 'shall we ship it on Friday?');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Ann');
    const original = page.locator(`#log .msg[data-id="${question.id}"]`);
    await original.hover();
    await original.getByRole('button', { name: `Reply to message ${question.id} from coder` }).click();
    assert.equal(await focused(page), 'Message');
    assert.match((await spoken(page, '#message')).description, /^Replying to coder shall we ship it on Friday\?$/);
    await page.keyboard.press('Escape');
    await page.locator('#replying').waitFor({ state: 'hidden' });
    assert.doesNotMatch((await spoken(page, '#message')).description, /Replying/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('an observer is not offered the skip link to a message box it does not have', async () => {
    const observer = marker('watch-only');
    const room = await newRoom('skip-observer', undefined, { observer });
    const { page, errors, context } = await newPage(browser);
    await enter(page, new Room(room.url, observer));
    await page.getByText('You are watching').waitFor();
    await page.evaluate(() => { // as a keyboard finds the page: from its top
      const top = document.createElement('span');
      top.tabIndex = -1;
      document.body.prepend(top);
      top.focus();
    });
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'skip-to-people');
    assert.equal(await page.getByRole('button', { name: 'Skip to the message box' }).count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the login page is the main landmark and its password field says why it was refused', async () => {
    const room = await newRoom('login-said');
    const { page, errors, context } = await newPage(browser);
    await page.goto(room.url);
    const form = page.getByRole('main').locator('#login-form');
    await form.waitFor();
    const password = page.getByLabel('Room password');
    assert.equal(await password.getAttribute('aria-invalid'), null);
    await password.fill('not-the-password');
    await password.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'not right' }).waitFor();
    assert.equal(await password.getAttribute('aria-invalid'), 'true');
    assert.equal((await spoken(page, '#login-password')).description, 'That password is not right.');
    assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
    await context.close();
  });

  test('the room\'s landmarks and names: the composer is a form, Export is named Export on a phone, people rows say when last seen', async () => {
    const room = await newRoom('landmarks');
    await room.post('builder', marker('hello'));
    const { page, errors, context } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    await enter(page, room, 'Ann');
    assert.equal(await page.getByRole('form', { name: 'Write a message' }).locator('#message').count(), 1);
    assert.deepEqual(await spoken(page, '#export summary').then(({ name }) => name), 'Export');
    // what the row's tooltip says, a screen reader reads in the row
    await page.getByRole('button', { name: /online/ }).click();
    const builder = page.locator('#people-list .person', { hasText: 'builder' });
    await builder.waitFor();
    assert.match(await builder.locator('.visually-hidden').textContent(), /^ \(away; Last seen .+\)$/);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('seeing it', () => {
  test('at 320 by 256 px (a page zoomed to 400 %) the conversation keeps a usable height and the page scrolls to the message box', async () => {
    const room = await newRoom('zoomed');
    for (let i = 1; i <= 12; i += 1) {
      await room.post('builder', `line ${i} of a conversation read zoomed in`);
    }
    const { page, errors, context } = await newPage(browser, { viewport: { width: 320, height: 256 } });
    await enter(page, room, 'Zoe');
    await page.locator('#log .msg', { hasText: 'line 12 of' }).waitFor();
    const log = await page.locator('#log').evaluate((el) => el.getBoundingClientRect().height);
    assert.ok(log >= 100 && log <= 256, `the conversation is ${log}px tall, and fits the screen`);
    const seen = async (locator) => {
      await locator.evaluate((el) => el.scrollIntoView({ block: 'nearest' }));
      return locator.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return box.top >= -1 && box.bottom <= window.innerHeight + 1 && box.left >= 0 && box.right <= window.innerWidth;
      });
    };
    assert.ok(await seen(page.locator('#log')), 'the conversation, scrolled to, is on the screen whole');
    assert.ok(await seen(page.getByRole('textbox', { name: 'Message' })), 'and so is the message box');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 320, 'nothing scrolls sideways');
    await page.screenshot({ path: join(ARTIFACTS, 'zoomed-320x256.png') });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('names, quiet text and placeholders read at 4.5:1, text fields\' edges and a pressed Ack at 3:1, light and dark', async () => {
    const room = await newRoom('contrast');
    const asked = await room.post('lead', `@Ann ${marker('please confirm')}`, { ack_requested: true });
    await room.post('helper', 'thanks @Ann!');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Ann');
    const thanks = page.locator('#log .msg.ack-only', { hasText: 'thanks' });
    await thanks.waitFor();
    await page.locator('#people-list .person:not(.online)', { hasText: 'helper' }).waitFor();
    await installContrast(page);
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      const found = await page.evaluate(() => {
        const $ = (selector) => document.querySelector(selector);
        const low = [];
        const check = (what, ratio, least) => {
          if (!(ratio >= least)) {
            low.push(`${what}: ${ratio.toFixed(2)}`);
          }
        };
        // every name colour on every background a name is shown on
        const probe = document.createElement('span');
        $('#log').append(probe);
        for (let hue = 0; hue < 12; hue += 1) {
          probe.className = `agent hue-${hue}`;
          for (const background of ['--bg', '--panel', '--mine', '--for-me', '--code-bg']) {
            probe.style.backgroundColor = `var(${background})`;
            const style = getComputedStyle(probe);
            check(`hue-${hue} on ${background}`, window.ratio(style.color, style.backgroundColor), 4.5);
          }
        }
        probe.remove();
        const away = $('#people-list .person:not(.online) .agent');
        check('a name away', window.contrast(away), 4.5);
        for (const part of ['.agent', 'time', '.msg-body p']) {
          check(`courtesy ${part}`, window.contrast($(`#log .msg.ack-only ${part}`)), 4.5);
        }
        check('asks for acknowledgement', window.contrast($('#log .msg.ack-requested .acks')), 4.5);
        for (const field of ['#name', '#message', '#search-input']) {
          const input = $(field);
          check(`${field}'s placeholder`, window.contrast(input, '::placeholder'), 4.5);
          const style = getComputedStyle(input);
          const around = getComputedStyle(input.closest('.composer, .topbar')).backgroundColor;
          check(`${field}'s edge`, window.ratio(style.borderTopColor, around), 3);
          check(`${field}'s edge inside`, window.ratio(style.borderTopColor, style.backgroundColor), 3);
        }
        return low;
      });
      assert.deepEqual(found, [], colorScheme);
    }

    // a pressed Ack is edged in the text's colour, and in high contrast mode shown in the highlight colours
    await page.emulateMedia({ colorScheme: 'light' });
    const ack = page.locator(`#log .msg[data-id="${asked.id}"] .ack-button`);
    await ack.click();
    await eventually(() => ack.getAttribute('aria-pressed'), (pressed) => pressed === 'true', 'acknowledged');
    const edge = await ack.evaluate((button) => window.ratio(getComputedStyle(button).borderTopColor, window.behind(button)));
    assert.ok(edge >= 3, `the pressed Ack's edge: ${edge}`);
    await page.emulateMedia({ forcedColors: 'active' });
    const shown = await ack.evaluate((button) => ({ fill: getComputedStyle(button).backgroundColor, behind: window.behind(button) }));
    assert.ok(!/rgba\(.*, 0\)$/.test(shown.fill) && shown.fill !== shown.behind,
      `pressed, filled in high contrast mode too: ${JSON.stringify(shown)}`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('with less motion asked for, the reconnecting dot does not blink and a message jumped to does not fade', async () => {
    const room = await newRoom('still');
    const { page, errors, context } = await newPage(browser);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await enter(page, room, 'Ann');
    const animations = await page.evaluate(() => {
      const status = document.getElementById('status');
      status.dataset.state = 'reconnecting';
      const message = document.createElement('li');
      message.className = 'msg flash';
      document.getElementById('log').append(message);
      const found = {
        dot: getComputedStyle(status, '::before').animationName,
        flash: getComputedStyle(message).animationTimingFunction,
      };
      message.remove();
      return found;
    });
    assert.deepEqual(animations, { dot: 'none', flash: 'steps(1)' });
    assert.deepEqual(errors, []);
    await context.close();
  });
});
