// The marks beside a name in a real browser: what they say to a screen reader, that they show without an
// emoji font, and that a held name's check, the Ack button and the acknowledgement line are told apart.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { enter, eventually, launch, marker, newPage, newRoom, pixels } from './harness.js';

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

describe('marks by a name', () => {
  test('every mark by a name has a name for screen readers and is drawn without an emoji font', async (t) => {
    const room = await newRoom('marks');
    const planner = await room.hold('planner');
    await room.postAsHolder(planner, marker('held'));
    const unheld = marker('unheld');
    await room.post('drifter', unheld);
    await room.post('loud', marker('noise'));
    await room.moderate('mute', 'loud');
    const stream = new AbortController();
    t.after(() => stream.abort()); // an open stream would keep the test process alive if the test failed
    assert.equal((await room.stream('listener', stream.signal)).status, 200);
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Ann');
    const box = page.getByRole('textbox', { name: 'Message' });
    const mine = marker('mine');
    await box.fill(mine);
    await box.press('Enter');

    const person = (name) => page.locator('#people-list .person', { hasText: name });
    const message = (text) => page.locator('#log .msg', { hasText: text });
    const marks = [
      person('planner').getByRole('img', { name: 'an agent' }),
      person('planner').getByRole('img', { name: 'holds its name' }),
      person('Ann').getByRole('img', { name: 'a person' }),
      person('Ann').getByRole('img', { name: 'holds its name' }),
      person('loud').getByRole('img', { name: 'muted by the host' }),
      person('listener').getByRole('img', { name: 'waiting for messages' }),
      page.locator('#log .msg', { hasText: 'planner' }).getByRole('img', { name: 'an agent' }),
      page.locator('#log .msg', { hasText: 'planner' }).getByRole('img', { name: 'holds its name' }),
      message(mine).getByRole('img', { name: 'a person' }),
      message(mine).getByRole('img', { name: 'holds its name' }),
      message(unheld).getByRole('img', { name: 'an agent' }),
    ];
    for (const mark of marks) {
      await mark.first().waitFor({ timeout: 10000 });
    }
    assert.equal(await message(unheld).getByRole('img', { name: 'holds its name' }).count(), 0,
      'a name posted with the password alone is not marked held');
    // this browser has no emoji font: a mark that needed one would be a box with nothing in it.
    // Read in one go: the people list is drawn again as news comes
    const drawn = await page.evaluate(() => [...document.querySelectorAll('#people-list [role="img"], #log [role="img"]')]
      .map((el) => {
        const { x, y, width, height } = el.getBoundingClientRect();
        return { label: el.getAttribute('aria-label'), text: el.textContent, title: el.title, clip: { x, y, width, height } };
      }));
    assert.ok(drawn.length >= marks.length, JSON.stringify(drawn));
    for (const mark of drawn) {
      const what = JSON.stringify(mark);
      assert.equal(mark.text, '', `no character for a font to draw; ${what}`);
      assert.ok(mark.clip.width >= 8, `big enough to see; ${what}`);
      assert.ok(mark.title, `a tooltip says what it means; ${what}`);
      assert.ok((await pixels(page, await page.screenshot({ clip: mark.clip }))).colours >= 2, `a picture drawn; ${what}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a held name\'s check, the Ack button and the acknowledgement line are told apart by sight and by name', async () => {
    const room = await newRoom('three-checks');
    const planner = await room.hold('planner');
    const text = marker('freeze');
    const asked = await room.postAsHolder(planner, `@Ann ${text}`, { ack_requested: true });
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Ann');
    const message = page.locator(`#log .msg[data-id="${asked.id}"]`);
    await message.waitFor({ timeout: 5000 });

    const held = message.getByRole('img', { name: 'holds its name' });
    const ack = message.getByRole('button', { name: `Ack message ${asked.id} from planner` });
    await ack.click();
    const line = message.locator('.acks');
    await eventually(() => line.textContent(), (t) => t === 'Acknowledged by Ann', 'the acknowledgement line');
    await room.ack(asked.id, 'dev1');
    await eventually(() => line.textContent(), (t) => t === 'Acknowledged by Ann, dev1', 'the next one');
    // by sight: the button is a word, the line is words, and the one check mark is the held name's picture
    assert.equal(await held.count(), 1);
    assert.equal(await ack.textContent(), 'Ack');
    assert.equal(await page.getByRole('checkbox', { name: 'Ask for ack' }).count(), 1);
    assert.doesNotMatch(await page.locator('body').innerText(), /✓|✔/, 'no check mark made of text');
    // by name: each says what it is
    assert.equal(await held.getAttribute('title'), 'Verified: posted by the holder of this name');
    assert.match(await ack.getAttribute('title'), /^Acknowledge/);
    // and on a phone the head of the message keeps its buttons on screen
    await page.setViewportSize({ width: 360, height: 740 });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
    const button = await ack.boundingBox();
    assert.ok(button && button.x >= 0 && button.x + button.width <= 360, JSON.stringify(button));
    assert.deepEqual(errors, []);
    await context.close();
  });
});
