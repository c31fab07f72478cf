// Coordination in a real browser: acknowledgements, read receipts, work claims and the loop brake.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HOST_KEY, PHONE, Room, enter, eventually, inLogView, launch, marker, newPage, newRoom, ownServer,
} from './harness.js';

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

describe('coordination', () => {
  test('acknowledgements show under the message; the Ack button acknowledges as the reader', async () => {
    const room = await newRoom('acks');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Ann');
    const text = marker('freeze');
    const asked = await room.post('lead', `@Ann @dev1 ${text}`, { ack_requested: true });
    const message = page.locator('#log .msg', { hasText: text });
    await message.waitFor({ timeout: 5000 });
    assert.equal(await message.locator('.acks').textContent(), 'Asks for acknowledgement');
    assert.equal(await message.locator('.ack-button').getAttribute('aria-pressed'), 'false');
    await message.locator('.ack-button').click();
    await eventually(() => message.locator('.acks').textContent(), (t) => t === 'Acknowledged by Ann', 'own ack shown');
    // the button says the reader acknowledged it, so nobody presses it again wondering
    assert.equal(await message.locator('.ack-button').getAttribute('aria-pressed'), 'true');
    assert.equal(await message.locator('.ack-button').getAttribute('title'), 'Acknowledged by you');
    await room.ack(asked.id, 'dev1');
    await eventually(() => message.locator('.acks').textContent(), (t) => t === 'Acknowledged by Ann, dev1', 'ack event shown');
    assert.deepEqual((await room.messages()).find((m) => m.id === asked.id).acks, ['Ann', 'dev1']);

    const courtesy = await room.post('dev2', 'thanks @Ann!');
    const quiet = page.locator(`#log .msg[data-id="${courtesy.id}"]`);
    await quiet.waitFor({ timeout: 5000 });
    assert.equal(await quiet.evaluate((el) => el.classList.contains('ack-only')), true, 'courtesy shown quietly');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('an acknowledgement the room refuses or never answers says why, as a message would, and one the room takes clears it', async () => {
    const room = await newRoom('ack-refused');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Ann');
    const text = marker('ack me');
    await room.post('lead', `@Ann ${text}`, { ack_requested: true });
    const message = page.locator('#log .msg', { hasText: text });
    await message.waitFor({ timeout: 5000 });
    // the room's own refusal, as a busy room gives it
    await page.route('**/messages/*/ack', (route) => route.fulfill({
      status: 429,
      headers: { 'Content-Type': 'application/json', 'Retry-After': '7' },
      body: JSON.stringify({ error: 'Too many requests from you.', code: 'rate_limited' }),
    }));
    await message.locator('.ack-button').click();
    const said = page.locator('#composer-error');
    await eventually(() => said.textContent(), (t) => t === 'Too many requests from you. Try again in 7 s.', 'refusal told');
    assert.equal(await message.locator('.acks').textContent(), 'Asks for acknowledgement', 'nothing acknowledged');
    await page.unroute('**/messages/*/ack');
    // no answer at all: a dropped network or a stopped server
    await page.route('**/messages/*/ack', (route) => route.abort());
    await message.locator('.ack-button').click();
    await eventually(() => said.textContent(), (t) => t === 'Not acknowledged: the server cannot be reached.', 'no answer told');
    await page.unroute('**/messages/*/ack');
    await message.locator('.ack-button').click();
    await eventually(() => message.locator('.acks').textContent(), (t) => t === 'Acknowledged by Ann', 'acknowledged');
    // the stream may bring the acknowledgement before the page has the answer that clears the refusal
    await eventually(() => said.textContent(), (t) => t === '', 'the refusal no longer holds');
    assert.deepEqual(errors.filter((e) => !/429/.test(e)), []);
    await context.close();
  });

  test('a person asks for acknowledgement with the Ask for ack box; the acknowledgements show under the message', async () => {
    const room = await newRoom('ask-ack');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Lead');
    const ask = page.getByRole('checkbox', { name: 'Ask for ack' });
    await ask.check();
    const text = marker('rotate');
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(`@bot ${text}`);
    await box.press('Enter');
    const message = page.locator('#log .msg', { hasText: text });
    await message.waitFor({ timeout: 5000 });
    await eventually(() => message.locator('.acks').textContent(), (t) => t === 'Asks for acknowledgement', 'asked');
    await eventually(() => ask.isChecked(), (checked) => checked === false, 'the box asks for one message only');
    const stored = (await room.messages()).find((m) => m.text.includes(text));
    assert.equal(stored.ack_requested, true);
    await room.ack(stored.id, 'bot');
    await eventually(() => message.locator('.acks').textContent(), (t) => t === 'Acknowledged by bot', 'the agent\'s acknowledgement shown');
    // on a phone the box stays beside the message without pushing anything off the screen
    await page.setViewportSize({ width: 360, height: 740 });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
    assert.equal(await page.locator('#send').isVisible(), true);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('who is waiting and who has seen the newest message', async () => {
    const room = await newRoom('seen');
    const { page, context } = await newPage(browser);
    await enter(page, room, 'Watcher');
    const reader = marker('reader');
    const stream = new AbortController();
    const response = await room.stream(reader, stream.signal);
    assert.equal(response.status, 200);
    const person = page.locator('#people-list .person', { hasText: reader });
    await room.post('lead', marker('first'));
    await eventually(() => person.locator('.waiting').count(), (n) => n === 1, 'waiting marker');
    const text = marker('news');
    await room.post('lead', text);
    const message = page.locator('#log .msg', { hasText: text });
    await eventually(() => message.locator('.seen').textContent(), (t) => t.includes(reader), 'seen by the reader');
    stream.abort();
    await context.close();
  });

  test('on a phone the "Seen by" line under the newest message does not push it under the composer', async (t) => {
    const room = await newRoom('seen-at-end');
    const { page, errors, context } = await phoneReaderAtTheEnd(room, 'lead', 'Watcher');
    const reader = marker('reader');
    const stream = new AbortController();
    t.after(() => stream.abort());
    assert.equal((await room.stream(reader, stream.signal)).status, 200);
    const text = marker('news');
    await room.post('lead', text);
    const message = page.locator('#log .msg', { hasText: text });
    await eventually(() => message.locator('.seen').textContent(), (seen) => seen.includes(reader), 'seen by the reader');
    await eventually(() => inLogView(message), Boolean, 'the newest message in view, its "Seen by" line too');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a listener that comes after the page shows as waiting at once, and not once it has gone', async () => {
    const room = await newRoom('late-listener');
    const { page, context } = await newPage(browser);
    await enter(page, room, 'Watcher');
    await page.locator('#status[data-state="connected"]').waitFor();
    const late = marker('late');
    const stream = new AbortController();
    assert.equal((await room.stream(late, stream.signal)).status, 200);
    const person = page.locator('#people-list .person', { hasText: late });
    // no message comes to refresh the list: the presence event alone says so
    await eventually(() => person.locator('.waiting').count(), (n) => n === 1, 'waiting marker', 5000);
    stream.abort();
    await eventually(() => person.locator('.waiting').count(), (n) => n === 0, 'no marker once gone', 5000);
    await context.close();
  });

  test('claims appear, are renewed and leave the panel', async () => {
    const room = await newRoom('claims');
    const { page, context } = await newPage(browser);
    await enter(page, room, 'Ann');
    const panel = page.locator('#claims-list');
    // the panel fills in from its own request once the page is in
    await eventually(() => panel.textContent(), (t) => /Nobody has claimed anything/.test(t), 'empty claims panel');
    const claim = await room.claim({ agent: 'coder', resource: 'src/parser/**', note: 'refactor' });
    await eventually(() => panel.textContent(), (t) => t.includes('src/parser/**') && t.includes('coder'), 'claim shown');
    // the note is on the page, not in a tooltip a phone cannot show
    assert.equal(await panel.locator('.claim', { hasText: 'src/parser/**' }).locator('.claim-note').innerText(), 'refactor');
    await room.claim({ agent: 'tester', resource: 'tests/**', ttl_seconds: 1 });
    await eventually(() => panel.textContent(), (t) => t.includes('tests/**'), 'second claim shown');
    await eventually(() => panel.textContent(), (t) => !t.includes('tests/**'), 'expired claim gone', 10000);
    await room.release(claim.id, 'coder');
    await eventually(() => panel.textContent(), (t) => /Nobody has claimed anything/.test(t), 'released claim gone');
    await context.close();
  });

  test('the stream\'s news while the page asks for the room (brake, claim, topic) outlives the older answer', async (t) => {
    const { room } = await ownServer(t, { maxAgentTurns: 3 });
    const { page, errors, context } = await newPage(browser);
    // the page's own look at the room and its claims is answered as the room was when it asked,
    // but only once the stream has told it something newer
    let letThrough;
    const gate = new Promise((resolve) => { letThrough = resolve; });
    const asked = new Set();
    const hold = async (route) => {
      if (route.request().method() !== 'GET') {
        return route.continue();
      }
      const answer = await route.fetch();
      asked.add(new URL(route.request().url()).pathname.split('/').pop());
      await gate;
      return route.fulfill({ response: answer });
    };
    await page.route('**/room', hold);
    await page.route('**/claims', hold);
    await enter(page, room, 'Ann');
    await eventually(() => [...asked].sort().join(), (paths) => paths === 'claims,room', 'the page asked');
    for (let i = 0; i < 3; i++) {
      await room.post('bot', `${marker('step')} ${i}`);
    }
    await room.claim({ agent: 'bot', resource: 'docs/**' });
    await room.setTopic('Hold the release');
    await eventually(() => page.locator('#topic').textContent(), (t) => t === 'Hold the release', 'topic event shown');
    const banner = page.locator('#brake');
    await banner.waitFor({ state: 'visible', timeout: 5000 });
    const panel = page.locator('#claims-list');
    await eventually(() => panel.textContent(), (t) => t.includes('docs/**'), 'claim event shown');
    letThrough();
    await page.locator('#claims-list[aria-busy="false"]').waitFor({ timeout: 5000 });
    assert.equal(await banner.isVisible(), true, 'the banner stays');
    assert.match(await banner.textContent(), /3 agent messages in a row/);
    assert.match(await panel.textContent(), /docs\/\*\*/, 'the claim stays');
    assert.equal(await page.locator('#topic').textContent(), 'Hold the release', 'the topic stays');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('while the page polls (no stream gets through), acknowledgements, topic, claims and the brake still reach it', async (t) => {
    const { room } = await ownServer(t, { maxAgentTurns: 3 });
    const { page, errors, context } = await newPage(browser);
    // once the document is parsed, before the page's module scripts run
    await page.addInitScript(() => document.addEventListener('readystatechange', () => {
      if (document.readyState === 'interactive') {
        document.documentElement.dataset.peopleRefreshMs = '300';
      }
    }));
    await page.route('**/messages/stream**', (route) => route.abort());
    await enter(page, room, 'Ann');
    await page.locator('#status[data-state="connected"][data-transport="poll"]').waitFor({ timeout: 20000 });

    const asked = await room.post('lead', `@Ann ${marker('freeze')}`, { ack_requested: true });
    const message = page.locator(`#log .msg[data-id="${asked.id}"]`);
    await message.waitFor({ timeout: 5000 });
    await room.ack(asked.id, 'dev1');
    await eventually(() => message.locator('.acks').textContent(), (text) => text === 'Acknowledged by dev1', 'the ack');
    await room.setTopic('Polled, not streamed');
    await eventually(() => page.locator('#topic').textContent(), (text) => text === 'Polled, not streamed', 'the topic');
    await room.claim({ agent: 'lead', resource: 'db/**' });
    await eventually(() => page.locator('#claims-list').textContent(), (text) => text.includes('db/**'), 'the claim');
    await room.post('bot', 'two');
    await room.post('bot', 'three');
    await page.locator('#brake').waitFor({ state: 'visible', timeout: 5000 });
    assert.match(await page.locator('#brake').textContent(), /3 agent messages in a row/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the loop brake shows a banner, a person releases it, a person never is braked', async (t) => {
    const { room } = await ownServer(t, { maxAgentTurns: 3 });
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Ann');
    const banner = page.locator('#brake');
    assert.equal(await banner.isHidden(), true);
    for (let i = 0; i < 3; i++) {
      await room.post('bot', `${marker('step')} ${i}`);
    }
    await banner.waitFor({ state: 'visible', timeout: 5000 });
    assert.match(await banner.textContent(), /3 agent messages in a row/);
    await assert.rejects(room.post('bot', 'held'), /429/);
    // a release the room refuses is told as a refused message is, and the agents stay held
    await page.route('**/room/brake/release', (route) => route.fulfill({
      status: 429,
      headers: { 'Content-Type': 'application/json', 'Retry-After': '9' },
      body: JSON.stringify({ error: 'Too many requests from you.', code: 'rate_limited' }),
    }));
    await page.locator('#brake-release').click();
    const said = page.locator('#composer-error');
    await eventually(() => said.textContent(), (t) => t === 'Too many requests from you. Try again in 9 s.', 'refusal told');
    assert.equal(await banner.isVisible(), true, 'still held');
    await page.unroute('**/room/brake/release');
    await page.locator('#brake-release').click();
    await banner.waitFor({ state: 'hidden', timeout: 5000 });
    // the stream may bring the release before the page has the answer that clears the refusal
    await eventually(() => said.textContent(), (t) => t === '', 'the refusal no longer holds');
    await room.post('bot', 'free again');

    for (let i = 0; i < 2; i++) {
      await room.post('bot', `${marker('again')} ${i}`);
    }
    await banner.waitFor({ state: 'visible', timeout: 5000 });
    await page.locator('#message').fill('Stop and summarise, please.');
    await page.keyboard.press('Enter');
    await banner.waitFor({ state: 'hidden', timeout: 5000 });
    await room.post('bot', 'summary');
    assert.deepEqual(errors.filter((e) => !/429/.test(e)), []);
    await context.close();
  });

  test('on a phone a reader at the newest message stays there when the loop brake banner opens in a burst', async (t) => {
    const { room } = await ownServer(t, { maxAgentTurns: 40 });
    const { page, errors, context } = await phoneReaderAtTheEnd(room, 'bot', 'Ann');
    // the tenth makes 40 agent messages in a row: the brake engages while they arrive
    const burst = marker('burst');
    for (let i = 1; i <= 10; i += 1) {
      await room.post('bot', `${burst} ${i}`);
    }
    await page.locator('#brake').waitFor({ state: 'visible', timeout: 5000 });
    const newest = page.locator('#log .msg', { hasText: `${burst} 10` });
    await newest.waitFor();
    await eventually(() => inLogView(newest), Boolean, 'the newest message in view below the banner');
    assert.equal(await page.locator('#jump').isVisible(), false, 'no "new messages" button: the reader was not left behind');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the host releases the loop brake with the host key alone, without picking a name', async (t) => {
    const { room } = await ownServer(t, { maxAgentTurns: 2 });
    const { page, errors, context } = await newPage(browser);
    await enter(page, new Room(room.url, HOST_KEY));
    assert.equal(await page.getByRole('textbox', { name: 'Your name' }).inputValue(), '', 'no name picked');
    for (let i = 0; i < 2; i++) {
      await room.post('bot', `${marker('step')} ${i}`);
    }
    const banner = page.locator('#brake');
    await banner.waitFor({ state: 'visible', timeout: 5000 });
    await page.locator('#brake-release').click();
    await banner.waitFor({ state: 'hidden', timeout: 5000 });
    assert.equal(await page.locator('#composer-error').textContent(), '');
    await room.post('bot', 'free again');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

/**
 * A person on a phone in a room of 30 messages from `author`, more than the screen holds, at the
 * newest of them.
 * @returns {Promise<{page: import('playwright-core').Page, errors: string[], context: import('playwright-core').BrowserContext}>} as newPage's
 */
async function phoneReaderAtTheEnd(room, author, reader) {
  for (let i = 1; i <= 30; i += 1) {
    await room.post(author, `line ${i} of a long conversation`);
  }
  const opened = await newPage(browser, PHONE);
  await enter(opened.page, room, reader);
  const newest = opened.page.locator('#log .msg', { hasText: 'line 30 of' });
  await newest.waitFor();
  await eventually(() => inLogView(newest), Boolean, 'the reader at the newest message');
  return opened;
}
