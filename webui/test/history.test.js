// A room people come back to, in a real browser: a full room opens on its newest page and loads
// older pages as the reader scrolls up, the search box jumps to what was said long ago, and the
// transcript downloads. Run by WebUiBrowserTest (mvn verify).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { PHONE, enter, eventually, explained, inLogView, launch, marker, newPage, newRoom, ownServer } from './harness.js';

/** The most a room keeps (agent-chat.max-history): the room below is full. */
const FULL = 10000;
/** Posts in flight at once while filling the room. */
const PARALLEL = 32;

/** @type {import('playwright-core').Browser} */
let browser;
/** @type {import('./harness.js').Room} the full room, filled once: every test here only reads it */
let full;
/** The unique word of the 42nd message posted, far back in the history. */
const NEEDLE = marker('Needle');

before(async () => {
  browser = await launch();
  full = await newRoom('full');
  await postMany(full, FULL, (i) => (i === 42 ? `the ${NEEDLE} is here, in message ${i}` : `message ${i} of a full room`));
});

after(async () => {
  await browser?.close();
});

/**
 * Posts many messages quickly, several at a time (so their ids need not follow their numbers).
 * @param {import('./harness.js').Room} room
 * @param {number} count
 * @param {(i: number) => string} text the text of the i-th (from 1)
 */
async function postMany(room, count, text) {
  let next = 1;
  const worker = async () => {
    while (next <= count) {
      const i = next;
      next += 1;
      await room.post(i % 3 === 0 ? 'planner' : 'coder', text(i));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

/**
 * The ids of the messages on the page, in page order.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<number[]>}
 */
function idsOnPage(page) {
  return page.locator('#log .msg').evaluateAll((nodes) => nodes.map((n) => Number(n.dataset.id)));
}

/**
 * Asserts that the ids are consecutive, each once, ending with the room's newest.
 * @param {number[]} ids
 * @param {number} newest
 */
function assertConsecutiveTo(ids, newest) {
  assert.equal(new Set(ids).size, ids.length, 'no message twice');
  ids.forEach((id, i) => assert.equal(id, newest - ids.length + 1 + i, `id at position ${i}`));
}

describe('history in pages', () => {
  test('a room with 10,000 messages opens on its newest page, fast', async () => {
    const { page, errors, context } = await newPage(browser);
    const started = Date.now();
    await enter(page, full);
    await page.locator(`#log .msg[data-id="${FULL}"]`).waitFor({ timeout: 5000 });
    const firstScreen = Date.now() - started;
    assert.ok(firstScreen < 5000, `first screen after ${firstScreen} ms`);
    const ids = await idsOnPage(page);
    assert.ok(ids.length <= 200, `only the newest pages are loaded, not ${ids.length}`);
    assertConsecutiveTo(ids, FULL);
    assert.equal(await page.locator('#count').textContent(), `${FULL} messages`, 'the room\'s count, not the loaded one');
    const atEnd = await page.getByRole('list', { name: 'Conversation' }).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 5);
    assert.equal(atEnd, true, 'the newest message is in view');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('scrolling up loads older pages above, keeps the reader in place, shows no message twice', async () => {
    const { page, errors, context } = await newPage(browser);
    await enter(page, full);
    const log = page.getByRole('list', { name: 'Conversation' });
    await explained(page, async () => {
      let count = (await idsOnPage(page)).length;
      for (let round = 0; round < 5; round += 1) {
        const oldest = (await idsOnPage(page))[0];
        const top = await page.locator(`#log .msg[data-id="${oldest}"]`).evaluate((n) => n.getBoundingClientRect().top);
        await log.evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
        count = await eventually(async () => (await idsOnPage(page)).length, (n) => n > count, `page ${round + 2}`);
        // what the reader was looking at did not jump away: it moved down by what came above it
        const after = await page.locator(`#log .msg[data-id="${oldest}"]`).evaluate((n) => n.getBoundingClientRect().top);
        assert.ok(after > top, `message #${oldest} stays in place (was at ${top}, now ${after})`);
      }
    });
    const ids = await idsOnPage(page);
    assert.ok(ids.length >= 600 && ids.length < FULL, `${ids.length} loaded`);
    assertConsecutiveTo(ids, FULL);
    // a live message still arrives at the bottom, once
    const live = marker('live');
    await full.post('agent', live);
    await eventually(() => page.locator('#log .msg', { hasText: live }).count(), (n) => n === 1, 'the live message');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the whole history can be read back to its first message, each once', async () => {
    const room = await newRoom('back-to-start');
    for (let i = 1; i <= 250; i += 1) {
      await room.post('coder', `short room ${i}`);
    }
    const { page, errors, context } = await newPage(browser, { viewport: { width: 900, height: 500 } });
    await enter(page, room);
    const log = page.getByRole('list', { name: 'Conversation' });
    await explained(page, () => eventually(async () => {
      await log.evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
      return (await idsOnPage(page))[0];
    }, (first) => first === 1, 'the first message'));
    assertConsecutiveTo(await idsOnPage(page), 250);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('search', () => {
  test('the search box finds a message far back and jumps to it with the match highlighted', async () => {
    const { page, errors, context } = await newPage(browser);
    await enter(page, full);
    const box = page.getByRole('searchbox', { name: 'Search messages' });
    await box.fill(NEEDLE.toLowerCase());
    await box.press('Enter');
    const results = page.getByRole('region', { name: 'Search results' });
    await results.getByText('1 message contains').waitFor();
    await results.locator('mark.hit').first().waitFor();
    // posted in parallel, the needle's id is whatever the server gave it: far back all the same
    const result = results.getByRole('button', { name: /is here, in message 42/ });
    const id = Number(await result.getAttribute('data-id'));
    assert.ok(id < 200, `message #${id} is far back`);
    await explained(page, async () => {
      await result.click();
      const found = page.locator(`#log .msg[data-id="${id}"]`);
      await found.waitFor({ timeout: 15000 });
      await eventually(() => found.locator('mark.hit').textContent(), (text) => text === NEEDLE, 'the match marked');
      await eventually(() => found.isVisible(), Boolean, 'message #42 in view');
      const inView = await found.evaluate((node) => {
        const box = node.getBoundingClientRect();
        const log = node.closest('.log').getBoundingClientRect();
        return box.top >= log.top && box.bottom <= log.bottom;
      });
      assert.equal(inView, true, 'scrolled to it');
      assert.match(await found.textContent(), /is here, in message 42/);
      assert.equal(await found.evaluate((node) => node === document.activeElement), true, 'the keyboard is there too');
    });
    assertConsecutiveTo(await idsOnPage(page), (await idsOnPage(page)).at(-1));
    // Escape from a result closes the results, as from the box, and gives the box the focus
    await result.focus();
    await page.keyboard.press('Escape');
    assert.equal(await results.isVisible(), false);
    assert.equal(await box.evaluate((el) => el === document.activeElement), true);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('on a phone a chosen search result closes the results, so the message and its flash are in view', async () => {
    const room = await newRoom('phone-search');
    const term = marker('found');
    for (let i = 1; i <= 20; i += 1) {
      await room.post('finder', `${term} number ${i}`);
    }
    for (let i = 1; i <= 20; i += 1) {
      await room.post('chatter', `chatter ${i}`);
    }
    const { page, errors, context } = await newPage(browser, PHONE);
    await enter(page, room, 'Sam');
    const box = page.getByRole('searchbox', { name: 'Search messages' });
    await box.fill(term);
    await box.press('Enter');
    const results = page.getByRole('region', { name: 'Search results' });
    await results.getByText('20 messages contain').waitFor();
    const result = results.locator('.result', { hasText: 'number 3' });
    const id = Number(await result.getAttribute('data-id'));
    await result.tap();
    await results.waitFor({ state: 'hidden' });
    const found = page.locator(`#log .msg[data-id="${id}"]`);
    await eventually(() => inLogView(found), Boolean, 'the message in view');
    assert.equal(await found.evaluate((node) => node.classList.contains('flash')), true, 'it flashes');
    const onTop = await found.evaluate((node) => {
      const box = node.getBoundingClientRect();
      return node.contains(document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2));
    });
    assert.equal(onTop, true, 'nothing covers it');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('on a phone a search result shows the name and time on one line and the match on the next, however long the name', async () => {
    const room = await newRoom('phone-results');
    const name = 'a-planning-agent-with-a-name-longer-than-a-phone-line';
    const term = marker('needle');
    await room.post(name, `Just before it: ${term} and after it`);
    const { page, errors, context } = await newPage(browser, PHONE);
    await enter(page, room, 'Sam');
    const box = page.getByRole('searchbox', { name: 'Search messages' });
    await box.fill(term);
    await box.press('Enter');
    const result = page.getByRole('region', { name: 'Search results' }).locator('.result');
    await result.locator('mark.hit').waitFor();
    // what is shown of each part: not cut away by the result's edges or its lines' (an ellipsis cuts the name)
    const shown = await result.evaluate((button) => {
      const whole = (part) => {
        const box = part.getBoundingClientRect();
        for (let node = part.parentElement; node && button.contains(node); node = node.parentElement) {
          const edge = node.getBoundingClientRect();
          if (getComputedStyle(node).overflowX !== 'visible'
            && (box.left < edge.left - 0.5 || box.right > edge.right + 0.5 || box.top < edge.top - 0.5 || box.bottom > edge.bottom + 0.5)) {
            return false;
          }
        }
        return true;
      };
      const top = (part) => Math.round(part.getBoundingClientRect().top);
      const [agent, time, match] = ['.agent', 'time', 'mark.hit'].map((selector) => button.querySelector(selector));
      return { time: whole(time), match: whole(match), nameCut: agent.scrollWidth > agent.clientWidth,
        sameLine: Math.abs(top(agent) - top(time)) < 8, matchBelow: top(match) > top(time) };
    });
    assert.deepEqual(shown, { time: true, match: true, nameCut: true, sameLine: true, matchBelow: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a reply\'s quote of a message older than the loaded pages loads back to it', async () => {
    const room = await newRoom('quoted');
    const original = await room.post('planner', 'the plan, long ago');
    for (let i = 0; i < 150; i++) {
      await room.post('coder', `chatter ${i}`);
    }
    await room.post('coder', 'about that plan', { reply_to: original.id });
    const { page, errors, context } = await newPage(browser);
    await enter(page, room);
    const reply = page.locator('#log .msg', { hasText: 'about that plan' });
    await reply.waitFor();
    assert.equal(await page.locator(`#log .msg[data-id="${original.id}"]`).count(), 0, 'the original is not loaded');
    await reply.locator('.reply-to').click();
    const found = page.locator(`#log .msg[data-id="${original.id}"]`);
    await found.waitFor({ timeout: 15000 });
    await eventually(() => found.evaluate((node) => {
      const box = node.getBoundingClientRect();
      const log = node.closest('.log').getBoundingClientRect();
      return box.top >= log.top && box.bottom <= log.bottom;
    }), Boolean, 'scrolled to the original');
    assert.match(await found.textContent(), /the plan, long ago/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a search that finds nothing says so; a term that is too long cannot be typed', async () => {
    const { page, errors, context } = await newPage(browser);
    await enter(page, full);
    const box = page.getByRole('searchbox', { name: 'Search messages' });
    await box.fill('no such words anywhere');
    await box.press('Enter');
    await page.getByRole('region', { name: 'Search results' }).getByText('No message contains').waitFor();
    assert.equal(await box.getAttribute('maxlength'), '200');
    await box.press('Escape');
    assert.equal(await page.getByRole('region', { name: 'Search results' }).isVisible(), false);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a search the server cannot answer says what did not happen and why; the next one works', async () => {
    const { page, errors, context } = await newPage(browser);
    await enter(page, full);
    const box = page.getByRole('searchbox', { name: 'Search messages' });
    const results = page.getByRole('region', { name: 'Search results' });
    await page.route('**/messages?q=**', (route) => route.abort());
    await box.fill(NEEDLE);
    await box.press('Enter');
    await results.getByText('Not searched: the server cannot be reached.').waitFor();
    await page.unroute('**/messages?q=**');
    await box.press('Enter');
    await results.getByText('1 message contains').waitFor();
    assert.equal(await results.getByText('cannot be reached').count(), 0, 'the refusal is gone');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('a long afternoon: the page keeps the newest thousand messages', () => {
  /** The most messages on the page while the reader is at the newest: timeline.js keeps 1,000, trimming once a fifth more are shown. */
  const SHOWN_AT_MOST = 1200;
  /** Messages that arrive while a reader watches: more than the page keeps. */
  const BUSY = 1300;

  test('a reader at the newest messages keeps at most about a thousand however many arrive; scrolling up brings the rest back, each once', async () => {
    const room = await newRoom('busy-afternoon');
    const { page, errors, context } = await newPage(browser, PHONE);
    await enter(page, room, 'Sam');
    await postMany(room, BUSY, (i) => `busy ${i}`);
    const log = page.getByRole('list', { name: 'Conversation' });
    await explained(page, async () => {
      await page.locator(`#log .msg[data-id="${BUSY}"]`).waitFor({ timeout: 30000 });
      const ids = await idsOnPage(page);
      assert.ok(ids.length <= SHOWN_AT_MOST && ids.length >= 1000, `${ids.length} on the page`);
      assertConsecutiveTo(ids, BUSY);
      assert.equal(await page.locator('#count').textContent(), `${BUSY} messages`, 'the room\'s count, not the shown one');
      assert.equal(await log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 5), true, 'the newest in view');
      await eventually(async () => {
        await log.evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
        return (await idsOnPage(page))[0];
      }, (first) => first === 1, 'the first message, fetched again');
    });
    assertConsecutiveTo(await idsOnPage(page), BUSY);
    assert.equal(await page.locator('#log .notice').count(), 0, 'the history is whole: no notice that it was cut');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a reply\'s quote of a message trimmed away loads back to it, and it stays while the reader reads there', async () => {
    const room = await newRoom('trimmed-quote');
    const original = await room.post('planner', 'the plan, this morning');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Sam');
    const found = page.locator(`#log .msg[data-id="${original.id}"]`);
    await found.waitFor();
    await postMany(room, BUSY, (i) => `chatter ${i}`);
    const reply = await room.post('coder', 'about that plan', { reply_to: original.id });
    await explained(page, async () => {
      const replied = page.locator(`#log .msg[data-id="${reply.id}"]`);
      await replied.waitFor({ timeout: 30000 });
      assert.equal(await found.count(), 0, 'the original was trimmed away');
      await replied.locator('.reply-to').click();
      await found.waitFor({ timeout: 15000 });
      await eventually(() => inLogView(found), Boolean, 'scrolled to the original');
      assertConsecutiveTo(await idsOnPage(page), reply.id);
      assert.match(await replied.locator('.reply-to').textContent(), /planner the plan, this morning/, 'the quote names it again');

      // more than a trim's worth arrives while the reader reads there: counted below, nothing taken away
      await postMany(room, 300, (i) => `later ${i}`);
      const jump = page.getByRole('button', { name: /new messages/ });
      await eventually(() => jump.textContent(), (text) => text === '300 new messages ↓', 'the new messages counted');
      assert.equal(await inLogView(found), true, 'the original stays in view');
      assertConsecutiveTo(await idsOnPage(page), reply.id + 300);

      // back at the newest, the page is trimmed again
      await jump.click();
      await eventually(async () => (await idsOnPage(page)).length, (n) => n <= SHOWN_AT_MOST, 'the page trimmed');
      assertConsecutiveTo(await idsOnPage(page), reply.id + 300);
      assert.equal(await page.getByRole('list', { name: 'Conversation' }).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 5), true,
        'the newest in view');
    });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('after a search jumps far back, scrolling down to the newest trims the page, and scrolling up loads the older pages again', async () => {
    const { page, errors, context } = await newPage(browser);
    await enter(page, full);
    const box = page.getByRole('searchbox', { name: 'Search messages' });
    await box.fill(NEEDLE);
    await box.press('Enter');
    const result = page.getByRole('region', { name: 'Search results' }).getByRole('button', { name: /is here, in message 42/ });
    const id = Number(await result.getAttribute('data-id'));
    const log = page.getByRole('list', { name: 'Conversation' });
    // FULL, or one more once the test that posts a live message into the full room ran
    const [{ id: newest }] = (await full.call('GET', 'messages?limit=1')).messages;
    await explained(page, async () => {
      await result.click();
      await page.locator(`#log .msg[data-id="${id}"]`).waitFor({ timeout: 15000 });
      await box.press('Escape');
      await log.evaluate((el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
      await eventually(async () => (await idsOnPage(page)).length, (n) => n <= SHOWN_AT_MOST, 'the page trimmed');
      assertConsecutiveTo(await idsOnPage(page), newest);
      assert.equal(await log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 5), true, 'the newest in view');
      const oldest = (await idsOnPage(page))[0];
      await eventually(async () => {
        await log.evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
        return (await idsOnPage(page))[0];
      }, (first) => first < oldest, 'the page before the oldest shown');
    });
    assertConsecutiveTo(await idsOnPage(page), newest);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('transcript', () => {
  test('the export menu downloads the transcript as one self-contained page', async () => {
    const room = await newRoom('export');
    await room.post('alice', 'first <b>bold?</b>');
    await room.post('bob', 'second', { to: ['alice'], reply_to: 1 });
    const { page, errors, context } = await newPage(browser);
    await enter(page, room);
    await page.getByText('Export', { exact: true }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Web page (.html)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^agent-chat-.*-transcript\.html$/);
    const html = await readFile(await download.path(), 'utf8');
    assert.ok(html.startsWith('<!doctype html>'), html.slice(0, 40));
    assert.ok(html.includes('first &lt;b&gt;bold?&lt;/b&gt;'), 'escaped');
    assert.ok(html.includes('in reply to #1'));
    // the file opens on its own and shows both messages
    const viewer = await context.newPage();
    await viewer.setContent(html);
    assert.equal(await viewer.locator('article').count(), 2);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('topic', () => {
  test('a named room\'s name is in the header, also on a phone, and in the tab\'s title; the server\'s own room is agent-chat', async (t) => {
    const room = await newRoom('design-review');
    const name = room.name();
    const { page, errors, context } = await newPage(browser, PHONE);
    await enter(page, room, 'Ann');
    await eventually(() => page.title(), (title) => title === `${name} · agent-chat`, 'the room\'s name in the title');
    const shown = page.locator('#room-name');
    assert.equal(await shown.textContent(), name);
    const box = await shown.boundingBox();
    assert.ok(await shown.isVisible() && box.x >= 0 && box.x + box.width <= 390, `the name in the header: ${JSON.stringify(box)}`);

    const own = await ownServer(t);
    const home = await newPage(browser);
    await enter(home.page, own.room, 'Ann');
    // the room's own answer came: the claims panel, read with it, is filled in
    await eventually(() => home.page.locator('#claims-list').textContent(), (text) => /Nobody has claimed/.test(text), 'GET room answered');
    assert.equal(await home.page.title(), 'agent-chat');
    assert.equal(await home.page.locator('#room-name').isVisible(), false);
    assert.deepEqual([...errors, ...home.errors], []);
    await Promise.all([context.close(), home.context.close()]);
  });

  test('the header shows the room\'s topic and follows the host changing it', async () => {
    const room = await newRoom('topic');
    await room.setTopic('Plan the release <b>now</b>');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room);
    const topic = page.locator('#topic');
    await eventually(() => topic.textContent(), (text) => text === 'Plan the release <b>now</b>', 'the topic, as text');
    await room.setTopic('Release is out');
    await eventually(() => topic.textContent(), (text) => text === 'Release is out', 'the new topic, live');
    await room.setTopic('');
    await eventually(() => topic.isVisible(), (visible) => !visible, 'no topic, no line');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
