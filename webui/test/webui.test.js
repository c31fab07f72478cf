// The web UI in a real browser against a real server. Run by WebUiBrowserTest (mvn verify).
// Every test has a room of its own (or, to restart it, a server of its own), so they run in any order or alone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ARTIFACTS, HOST_KEY, PHONE, Room, countOnPage, enter, eventually, explained, launch, marker, newPage, newRoom, ownServer,
  pixels, silencingProxy,
} from './harness.js';

/** @type {import('playwright-core').Browser} */
let browser;
/** What the page says of a message that got no answer. */
const NOT_SENT = 'Not sent: the server cannot be reached. Your text is still here.';

before(async () => {
  browser = await launch();
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
});

describe('login', () => {
  /**
   * Opens the room's page and sends the login form a wrong password, which it refuses.
   * @returns {Promise<import('playwright-core').Locator>} the form's password box
   */
  async function refusedOnce(page, room) {
    await page.goto(room.url);
    const password = page.getByLabel('Room password');
    await password.fill('not-the-password');
    await page.getByRole('button', { name: 'Enter the room' }).click();
    await page.getByRole('alert').filter({ hasText: 'not right' }).waitFor();
    return password;
  }

  test('the link logs in and the password leaves the address bar', async () => {
    const room = await newRoom('login-link');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room);
    assert.equal(new URL(page.url()).searchParams.has('password'), false, 'password removed from URL');
    const key = `agent-chat.password:${new URL(room.url).pathname}`;
    assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), key), room.password);
    await page.reload();
    await page.locator('#status[data-state="connected"]').waitFor();
    assert.equal(await page.getByRole('list', { name: 'Conversation' }).isVisible(), true, 'still in the room after reload');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the form rejects a wrong password and accepts the right one', async () => {
    const room = await newRoom('login-form');
    const { page, errors, context } = await newPage(browser);
    const password = await refusedOnce(page, room);
    assert.equal(await page.getByRole('list', { name: 'Conversation' }).isVisible(), false);
    await password.fill(room.password);
    await password.press('Enter');
    await page.locator('#status[data-state="connected"]').waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Message' }).isVisible(), true);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('an address that tried too many wrong passwords is told to wait, not that the server is unreachable', async (t) => {
    // one wrong password and the address has used up its allowance: the room then takes none, the right one included
    const { room } = await ownServer(t, { limits: { 'password-failure-burst': 1, 'password-failure-refill': '60s' } });
    const { page, errors, context } = await newPage(browser);
    const password = await refusedOnce(page, room);
    await password.fill(room.password);
    await password.press('Enter');
    const said = page.getByRole('alert');
    await eventually(() => said.textContent(), (text) => /^Too many wrong passwords were tried from this address\. Try again in \d+ s\.$/.test(text),
      'the wait told');
    assert.equal(await page.getByRole('list', { name: 'Conversation' }).isVisible(), false);
    assert.deepEqual(errors.filter((e) => !/401|429/.test(e)), []);
    await context.close();
  });

  test('the host key opens the room through the form without spending a wrong password, and a wrong password spends one', async (t) => {
    // an allowance of two wrong passwords: two host logins and one wrong password leave the right one welcome
    const { room } = await ownServer(t, { limits: { 'password-failure-burst': 2, 'password-failure-refill': '60s' } });
    for (let i = 0; i < 2; i++) {
      const { page, errors, context } = await newPage(browser);
      await page.goto(room.url);
      await page.getByLabel('Room password').fill(HOST_KEY);
      await page.getByRole('button', { name: 'Enter the room' }).click();
      await page.locator('#status[data-state="connected"]').waitFor();
      assert.equal(await page.getByRole('list', { name: 'Conversation' }).isVisible(), true, `host login ${i + 1}`);
      assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
      await context.close();
    }
    const { page, errors, context } = await newPage(browser);
    const password = await refusedOnce(page, room);
    await password.fill(room.password);
    await password.press('Enter');
    await page.locator('#status[data-state="connected"]').waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Message' }).isVisible(), true);
    assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
    await context.close();
  });

  test('on a phone the login form is one column, all of it on the screen', async () => {
    const room = await newRoom('login-phone');
    const { page, errors, context } = await newPage(browser, {
      viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
    });
    await page.goto(room.url);
    const title = await page.locator('#login .brand').boundingBox();
    const box = await page.getByLabel('Room password').boundingBox();
    const button = await page.getByRole('button', { name: 'Enter the room' }).boundingBox();
    for (const [what, b] of [['title', title], ['password box', box], ['button', button]]) {
      assert.ok(b.x >= 0 && b.x + b.width <= 390, `the ${what} is on the screen: ${JSON.stringify(b)}`);
    }
    assert.ok(title.y + title.height <= box.y && box.y + box.height <= button.y, 'title, box and button one above the other');
    assert.match(await page.locator('#login .brand').innerText(), /agent-chat/, 'the title is read whole');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the form says so when there is no room at the address', async () => {
    const room = await newRoom('login-nowhere');
    const nowhere = room.url.replace(/\/rooms\/[^/]+\/$/, `/rooms/${marker('never')}/`);
    assert.notEqual(nowhere, room.url);
    const { page, errors, context } = await newPage(browser);
    await page.goto(nowhere);
    await page.getByLabel('Room password').fill(room.password);
    await page.getByRole('button', { name: 'Enter the room' }).click();
    await page.getByRole('alert').filter({ hasText: 'There is no room at this address' }).waitFor();
    assert.equal(await page.getByRole('list', { name: 'Conversation' }).isVisible(), false);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a password beyond ASCII logs in, reads the history, posts and follows live', async (t) => {
    const { room } = await ownServer(t, { password: 'Schlüssel-密码' });
    const earlier = marker('before-login');
    await room.post('agent', earlier);
    const { page, errors, context } = await newPage(browser);
    // a browser refuses a header beyond Latin-1 and sends Latin-1 as single bytes: the page sends the
    // password the way RFC 8187 writes it
    const sent = new Set();
    page.on('request', (request) => sent.add(request.headers()['x-room-password']));
    await page.goto(room.url);
    const password = page.getByLabel('Room password');
    await password.fill('Schlüssel-密');
    await password.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'not right' }).waitFor();
    await password.fill(room.password);
    await password.press('Enter');
    await explained(page, () => page.locator('#status[data-state="connected"][data-transport="stream"]')
      .waitFor({ timeout: 15000 }));
    await page.locator('#log .msg', { hasText: earlier }).waitFor();
    await page.getByLabel('Your name').fill('Jürgen');
    const mine = marker('über');
    await page.getByRole('textbox', { name: 'Message' }).fill(mine);
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await eventually(async () => (await room.messages()).filter((m) => m.text === mine).length, (n) => n === 1,
      'the message stored once');
    const live = marker('live');
    await room.post('agent', live);
    await explained(page, () => eventually(() => countOnPage(page, live), (n) => n === 1, 'a live message'));
    assert.equal(await countOnPage(page, mine), 1);
    sent.delete(undefined);
    assert.deepEqual([...sent].sort(), ["UTF-8''Schl%C3%BCssel-%E5%AF%86", "UTF-8''Schl%C3%BCssel-%E5%AF%86%E7%A0%81"]);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('conversation', () => {
  test('logging out on a shared device gives the name up, ends the session and forgets the password and the name', async () => {
    const room = await newRoom('log-out');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Ann');
    const said = marker('before-logging-out');
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(said);
    await box.press('Enter');
    await page.locator('#log .msg', { hasText: said }).waitFor();
    await eventually(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('token')).length),
      (n) => n > 0, 'the name held, its token kept beyond the tab');

    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Log out on this device' }).click();

    await page.locator('#login').waitFor({ state: 'visible' });
    assert.deepEqual(await page.evaluate(() => [Object.keys(localStorage), Object.keys(sessionStorage)]), [[], []],
      'nothing of the room is left on the device');
    // the name is free at once: someone else claims it
    assert.match(await room.hold('Ann', 'human'), /\S/, 'Ann taken by another');
    await page.reload();
    await page.locator('#login').waitFor({ state: 'visible' });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a screen reader is told each message that arrives, never the history, and the conversation is a list', async () => {
    const room = await newRoom('announced');
    const old = marker('history');
    await room.post('planner', `${old} from before`);
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Reader');
    const conversation = page.getByRole('list', { name: 'Conversation' });
    await conversation.getByText(old).waitFor();
    const told = () => page.locator('#announcer').textContent();
    assert.equal(await page.locator('#announcer').getAttribute('aria-live'), 'polite');

    const fresh = marker('fresh');
    await room.post('coder', `@Reader ${fresh} arrived`);
    await eventually(told, (text) => text.includes(`coder (for you): @Reader ${fresh} arrived`), 'the arrival told');
    assert.equal((await told()).includes(old), false, 'the history is not news');
    assert.equal(await conversation.getByRole('listitem').filter({ hasText: fresh }).locator('.whose').textContent(), '(for you)',
      'that it concerns the reader is said in words too');
    assert.equal(await page.getByRole('button', { name: /^Ack message \d+ from coder$/ }).count(), 1,
      'the Ack button is named with the word it shows');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('an empty conversation says it is loading until the room first answers, and only then that nobody wrote yet', async () => {
    const room = await newRoom('empty-state');
    const { page, errors, context } = await newPage(browser);
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    const firstPage = (url) => url.pathname.endsWith('/messages') && url.searchParams.has('limit');
    await page.route(firstPage, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(room.link());
    const placeholder = () => page.getByRole('list', { name: 'Conversation' }).evaluate((log) => getComputedStyle(log, '::before').content);
    await eventually(placeholder, (text) => text === '"Loading the conversation…"', 'the placeholder while the first page is on its way');
    assert.equal(await page.locator('#count').textContent(), '', 'no count before the room has said it');
    release();
    await page.locator('#status[data-state="connected"]').waitFor({ timeout: 15000 });
    assert.equal(await placeholder(), '"No messages yet. Say hello!"');
    assert.equal(await page.locator('#count').textContent(), '0 messages');
    await room.post('agent', marker('first-words'));
    await eventually(placeholder, (text) => text === 'none', 'no placeholder once a message is shown');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a message sent with Enter shows exactly once, Shift+Enter makes a new line', async () => {
    const room = await newRoom('enter-sends');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room);
    const text = marker('hello-from-the-browser');
    await page.getByRole('textbox', { name: 'name' }).fill('Reader');
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(`${text} line one`);
    await box.press('Shift+Enter');
    await box.pressSequentially('line two');
    // the box grows with its lines, its borders counted: no scrollbar while everything fits
    assert.equal(await box.evaluate((el) => el.scrollHeight <= el.clientHeight), true, 'no scrollbar in a box that fits its text');
    await box.press('Enter');
    await eventually(() => countOnPage(page, text), (n) => n === 1, 'own message on the page');
    await eventually(() => box.inputValue(), (value) => value === '', 'box cleared once the server accepted it');
    // once a later message arrived through the stream, the stream's copy of ours has arrived too
    const later = marker('later');
    await room.post('Agent', later);
    await eventually(() => countOnPage(page, later), (n) => n === 1, 'later message');
    assert.equal(await countOnPage(page, text), 1, 'own message still shown once');
    const stored = (await room.messages()).find((m) => m.text.startsWith(text));
    assert.equal(stored.text, `${text} line one\nline two`);
    assert.equal(stored.agent, 'Reader');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the page holds its name as a person, verified; nobody can post under it; no secret in the stream URL', async () => {
    const room = await newRoom('held-name');
    const { page, errors, context } = await newPage(browser);
    const streamUrls = [];
    page.on('request', (request) => {
      if (request.url().includes('messages/stream')) {
        streamUrls.push(request.url());
      }
    });
    await enter(page, room);
    const name = marker('Person');
    const text = marker('mine-alone');
    await page.getByRole('textbox', { name: 'name' }).fill(name);
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(text);
    await box.press('Enter');
    await eventually(() => countOnPage(page, text), (n) => n === 1, 'own message on the page');
    const stored = (await room.messages()).find((m) => m.text === text);
    assert.equal(stored.kind, 'human');
    assert.equal(stored.verified, true);
    await eventually(() => page.locator('.msg .verified').count(), (n) => n >= 1, 'the verified mark');
    // a second client with the room password tries to speak as the page's person
    await assert.rejects(room.post(name, 'spoofed'), /403/);
    // an agent's unverified message carries no check mark
    const agentText = marker('unverified');
    await room.post('SomeAgent', agentText);
    await eventually(() => countOnPage(page, agentText), (n) => n === 1, 'agent message');
    const agentMarks = await page.locator('.msg', { hasText: agentText }).locator('.verified').count();
    assert.equal(agentMarks, 0);
    assert.ok(streamUrls.length > 0, 'the page streamed');
    for (const url of streamUrls) {
      assert.ok(!url.includes(room.password) && !url.includes('password='), `no password in ${url}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('renaming gives the old name up for others, and the new one is held when it first posts', async () => {
    const room = await newRoom('renamed');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room);
    const typo = marker('Anm');
    const nameBox = page.getByRole('textbox', { name: 'name' });
    const box = page.getByRole('textbox', { name: 'Message' });
    await nameBox.fill(typo);
    await box.fill(marker('first'));
    await box.press('Enter');
    await eventually(async () => (await room.messages()).some((m) => m.agent === typo && m.verified), (held) => held,
      'the first name held');
    await assert.rejects(room.post(typo, 'spoofed'), /403/);

    const fixed = marker('Ann');
    await nameBox.fill(fixed);
    await eventually(() => room.post(typo, marker('free again')).then(() => true, () => false), (free) => free,
      'the old name free for others');
    const text = marker('second');
    await box.fill(text);
    await box.press('Enter');
    await eventually(async () => (await room.messages()).find((m) => m.text === text), (m) => m?.agent === fixed && m.verified,
      'the new name held');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a second tab of the same browser posts under the name the first holds: the first hands its token over', async () => {
    const room = await newRoom('two-tabs');
    const name = marker('Fay');
    const first = await newPage(browser);
    await enter(first.page, room, name);
    const say = (page, text) => sendVerified(page, room, name, text);
    await say(first.page, marker('from the first tab'));
    // the same browser (one context: its storage, its tabs), a new tab opened on the same link
    const second = await first.context.newPage();
    await enter(second, room);
    assert.equal(await second.getByRole('textbox', { name: 'name' }).inputValue(), name, 'the browser remembers the name');
    await say(second, marker('from the second tab'));
    assert.equal(await second.locator('#composer-error').textContent(), '', 'not refused its own name');
    await first.context.close();
  });

  test('a person who closes the tab and opens the link again takes their name back', async () => {
    const room = await newRoom('reopened');
    const name = marker('Gus');
    const first = await newPage(browser);
    await enter(first.page, room, name);
    const say = (page, text) => sendVerified(page, room, name, text);
    await say(first.page, marker('before closing'));
    await first.page.close(); // the only tab: no other holds the token to hand over
    const reopened = await first.context.newPage();
    await enter(reopened, room);
    assert.equal(await reopened.getByRole('textbox', { name: 'name' }).inputValue(), name, 'the browser remembers the name');
    await say(reopened, marker('after reopening'));
    assert.equal(await reopened.locator('#composer-error').textContent(), '', 'not refused its own name');
    await first.context.close();
  });

  test('on a touch screen Enter makes a new line and the Send button sends', async () => {
    const { page, errors, context } = await newPage(browser, {
      viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true,
    });
    const room = await newRoom('touch');
    await enter(page, room, 'Tess');
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.click();
    await box.pressSequentially('first line');
    await box.press('Enter');
    await box.pressSequentially('second line');
    await box.press('Enter');
    assert.equal(await box.inputValue(), 'first line\nsecond line\n', 'Enter made a new line');
    await page.getByRole('button', { name: 'Send' }).tap();
    // the line Enter began before Send says nothing: it is not stored
    await eventually(() => room.messages(), (messages) => messages.some((m) => m.text === 'first line\nsecond line'),
      'the two lines posted as one message, without the empty third');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('only the page that holds its name shows it present; a page refused the name follows as nobody', async () => {
    const room = await newRoom('present-holder');
    const name = marker('Held');
    const online = async () => (await room.call('GET', 'agents')).agents.find((a) => a.name === name)?.online === true;
    const holder = await newPage(browser);
    await enter(holder.page, room, name);
    const box = holder.page.getByRole('textbox', { name: 'Message' });
    await box.fill(marker('first'));
    await box.press('Enter');
    await eventually(async () => (await room.messages()).some((m) => m.agent === name && m.verified), (held) => held,
      'the name held');
    // the page now follows as the name's holder: present, after a reload too (the tab keeps the token)
    await eventually(online, (yes) => yes, 'the holder present');
    await holder.page.reload();
    await holder.page.locator('#status[data-state="connected"]').waitFor();
    await eventually(online, (yes) => yes, 'the holder present after a reload');

    // another browser with the password, under the same name: refused, and it does not stand in for the holder
    const other = await newPage(browser);
    await enter(other.page, room, name);
    const otherBox = other.page.getByRole('textbox', { name: 'Message' });
    await otherBox.fill(marker('me too'));
    await otherBox.press('Enter');
    await other.page.locator('#composer-error', { hasText: 'is held in this room' }).waitFor();
    await holder.context.close();
    await eventually(online, (yes) => !yes, 'not present once its holder has gone, whatever the other page follows as');
    const seen = marker('seen by whom');
    const { id } = await room.post('lead', seen);
    await eventually(() => countOnPage(other.page, seen), (n) => n === 1, 'the other page still reads');
    const receipt = (await room.call('GET', 'agents')).agents.find((a) => a.name === name)?.read_up_to;
    assert.ok(receipt === undefined || receipt < id, `no read receipt from the other page: ${receipt}`);
    await other.context.close();
  });

  test('a name others cannot @mention is warned of as it is typed, with one they can', async () => {
    const room = await newRoom('unmentionable');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room);
    const name = page.getByRole('textbox', { name: 'Your name' });
    const warning = page.locator('#name-warning');
    await name.fill('Ana María');
    await eventually(() => warning.textContent(), (text) => text.startsWith('Others cannot @mention Ana María')
      && text.includes('(such as Ana_María)'), 'the warning, with a name that works');
    await name.fill('Ana_María');
    await eventually(() => warning.textContent(), (text) => text === '', 'a mentionable name is not warned of');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a name an agent posts under is warned of, one an agent holds is refused, as it is typed', async () => {
    const room = await newRoom('agent-names');
    await room.post('builder', marker('unheld work'));
    const planner = await room.hold('planner');
    const held = marker('held work');
    await room.postAsHolder(planner, held);
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Ann');
    await page.locator('#log .msg', { hasText: held }).waitFor();
    const name = page.getByRole('textbox', { name: 'name' });
    const warning = page.locator('#name-warning');
    assert.equal(await warning.getAttribute('role'), 'status', 'screen readers are told too');
    assert.equal(await warning.textContent(), '');

    await name.fill('Builder');
    await eventually(() => warning.textContent(),
      (t) => t === 'An agent is posting as Builder: your messages would look like its. Pick another name.', 'the warning');
    assert.equal(await name.getAttribute('aria-invalid'), 'false', 'a warning, not a refusal');
    assert.equal(await name.getAttribute('aria-describedby'), 'name-warning', 'read out with the name field');
    await name.fill('planner');
    await eventually(() => warning.textContent(),
      (t) => t === 'planner is held by an agent in this room: pick another name.', 'the refusal');
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    const box = page.getByRole('textbox', { name: 'Message' });
    const refused = marker('as planner');
    await box.fill(refused);
    await box.press('Enter');
    await page.locator('#composer-error', { hasText: 'is held in this room' }).waitFor();
    assert.equal((await room.messages()).some((m) => m.text === refused), false);
    await name.fill(marker('Ann'));
    await eventually(() => warning.textContent(), (t) => t === '', 'nothing to say of a name nobody uses');

    // warned, a person may still take a name nobody holds; once theirs, it is their own: no warning
    await name.fill('builder');
    await eventually(() => warning.textContent(), (t) => t.startsWith('An agent is posting as builder'), 'warned again');
    const taken = marker('taken');
    await box.fill(taken);
    await box.press('Enter');
    await eventually(async () => (await room.messages()).find((m) => m.text === taken),
      (m) => m?.agent === 'builder' && m.kind === 'human' && m.verified, 'posted as the person holding the name');
    await eventually(() => warning.textContent(), (t) => t === '', 'no warning about the person\'s own name');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a name an agent only listens under is warned of from the people list, the page\'s own names are not', async (t) => {
    const room = await newRoom('listening-names');
    const stream = new AbortController();
    t.after(() => stream.abort()); // an open stream would keep the test process alive if the test failed
    assert.equal((await room.stream('watcher', stream.signal)).status, 200);
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Ann');
    await page.locator('#people-list .person', { hasText: 'watcher' }).waitFor();
    const name = page.getByRole('textbox', { name: 'name' });
    const warning = page.locator('#name-warning');
    assert.equal(await warning.textContent(), '');

    await name.fill('Watcher');
    await eventually(() => warning.textContent(), (text) => text === 'Someone in this room, such as an agent, uses Watcher '
      + 'without holding it: your messages would look like theirs. Pick another name.', 'the warning, with nothing posted under it');
    assert.equal(await name.getAttribute('aria-invalid'), 'false', 'a warning, not a refusal');

    // the page reads the room under the name typed, so the room lists it: that is no one else's use
    const mine = marker('Bea');
    await name.fill(mine);
    await page.locator('#people-list .person.online', { hasText: mine }).waitFor();
    assert.equal(await warning.textContent(), '', 'the name the page reads under is its own');
    await name.fill('Ann');
    assert.equal(await warning.textContent(), '', 'and so is one it read under before, still listed');

    // after a reload the room still lists the name the page read under before it: still the page's own
    await page.locator('#people-list .person.online', { hasText: 'Ann' }).waitFor();
    await page.reload();
    await page.locator('#people-list .person', { hasText: mine }).waitFor();
    await name.fill(mine);
    await eventually(() => page.locator('#people-list .person', { hasText: 'watcher' }).count(), (n) => n === 1, 'the list read');
    assert.equal(await warning.textContent(), '', 'a name the page read under before the reload is its own');
    await name.fill('Watcher');
    await eventually(() => warning.textContent(), (text) => text.startsWith('Someone in this room, such as an agent, uses Watcher'),
      'someone else\'s name is still warned of');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('who posted under a name is kept as messages arrive, not looked up among them, and forgotten when the room restarts', async () => {
    const room = await newRoom('posted-names');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Ann');
    const answers = await page.evaluate(async () => {
      const { Timeline } = await import(new URL('timeline.js', document.baseURI).href);
      const log = document.createElement('ol');
      const jump = document.createElement('button');
      const announcer = document.createElement('div');
      document.body.append(log, jump, announcer);
      const timeline = new Timeline(log, jump, announcer, { reader: () => 'Ann', onReply: () => {}, onAck: () => {}, onChange: () => {} });
      const at = new Date().toISOString();
      for (let id = 1; id <= 2000; id += 1) {
        timeline.accept({ id, agent: id === 8 ? 'Builder' : id % 2 ? 'ann' : 'lead', kind: id % 2 ? 'human' : 'agent',
          text: `message ${id}`, timestamp: at }, true);
      }
      // a check that went through the messages would read them here
      const scanned = () => { throw new Error('the messages were gone through'); };
      for (const map of [timeline.known]) {
        map.values = scanned;
        map.entries = scanned;
        map.forEach = scanned;
        map[Symbol.iterator] = scanned;
      }
      const asked = (names) => names.map((n) => { try { return timeline.agentPostedAs(n); } catch (e) { return String(e.message); } });
      const before = asked(['builder', 'LEAD', 'ann', 'nobody']);
      timeline.startGeneration();
      const after = asked(['builder', 'lead']);
      timeline.accept({ id: 1, agent: 'newcomer', kind: 'agent', text: 'first', timestamp: at }, true);
      return { before, after, again: asked(['newcomer', 'builder']) };
    });
    assert.deepEqual(answers, {
      before: [true, true, false, false], after: [false, false], again: [true, false],
    });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the host, logged in with the host key, mutes and kicks from the people list', async () => {
    const room = await newRoom('host-moderates');
    const { page, errors, context } = await newPage(browser);
    await room.post('Noisy', marker('before-the-mute'));
    await enter(page, new Room(room.url, HOST_KEY));
    const mute = page.getByRole('button', { name: 'Mute Noisy' });
    await eventually(() => mute.count(), (n) => n === 1, 'the host sees a mute button');
    await mute.click();
    // the click only starts the request: the list shows Unmute once the mute is done
    await eventually(() => page.getByRole('button', { name: 'Unmute Noisy' }).count(), (n) => n === 1, 'muted');
    await assert.rejects(room.post('Noisy', 'after the mute'), /403/);
    await page.getByRole('button', { name: 'Unmute Noisy' }).click();
    await eventually(() => room.post('Noisy', marker('back')).then(() => true, () => false), (ok) => ok, 'unmuted');
    page.once('dialog', (dialog) => dialog.dismiss());
    await page.getByRole('button', { name: 'Kick Noisy' }).click();
    await room.post('Noisy', marker('still here')); // the host said no: nothing happened
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Kick Noisy' }).click();
    await eventually(() => room.post('Noisy', 'after the kick').then(() => 'posted', (e) => String(e)),
      (outcome) => /403/.test(outcome), 'kicked');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('replying to a message sends reply_to and shows the quote; a new name is remembered', async () => {
    const room = await newRoom('reply');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'First-Name');
    const question = await room.post('asker', marker('question'));
    const original = page.locator('#log .msg', { hasText: question.text });
    await original.hover();
    await original.getByRole('button', { name: `Reply to message ${question.id} from asker` }).click();
    assert.match(await page.locator('#replying').textContent(), /asker/);
    const name = page.getByRole('textbox', { name: 'name' });
    await name.fill('Second-Name');
    const answer = marker('answer');
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(answer);
    await box.press('Enter');
    const shown = page.locator('#log .msg', { hasText: answer });
    await shown.waitFor();
    assert.match(await shown.locator('.reply-to').textContent(), /asker/);
    // the stream may show the message before the post's answer closes the bar
    await page.locator('#replying').waitFor({ state: 'hidden', timeout: 5000 });
    const stored = (await room.messages()).find((m) => m.text === answer);
    assert.equal(stored.reply_to, question.id);
    assert.equal(stored.agent, 'Second-Name');
    // the new name is what presence shows, and what the next visit starts with
    const person = page.locator('#people-list .person.online', { hasText: 'Second-Name' });
    await person.waitFor({ timeout: 10000 });
    await page.reload();
    assert.equal(await page.getByRole('textbox', { name: 'name' }).inputValue(), 'Second-Name');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a refused message explains why and keeps the text; no name asks for one', async () => {
    const room = await newRoom('refused');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room);
    const name = page.getByRole('textbox', { name: 'name' });
    const box = page.getByRole('textbox', { name: 'Message' });
    await name.fill('');
    await box.fill('hello?');
    await box.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Pick a name' }).waitFor();
    await name.fill('Big-Sender');
    const huge = 'y'.repeat(70 * 1024);
    await box.fill(huge);
    await page.getByRole('button', { name: 'Send' }).click();
    const alert = page.getByRole('alert').filter({ hasText: /too (large|long)|limit|bytes/i });
    await alert.waitFor();
    assert.equal((await box.inputValue()).length, huge.length, 'text kept for another try');
    assert.equal(await page.locator('#log .msg', { hasText: 'Big-Sender' }).count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('on a phone a post the server never answers shows "Sending…", then "Not sent" and keeps the text; an Ack says "Not acknowledged"', async () => {
    const room = await newRoom('send-timeout');
    const text = marker('asked');
    await room.post('lead', `@Tess ${text}`, { ack_requested: true });
    const { page, errors, context } = await newPage(browser, PHONE);
    await enter(page, room, 'Tess');
    await page.evaluate(() => { document.documentElement.dataset.postTimeoutMs = '1500'; });
    // the network takes the posts and never answers them
    const unanswered = [];
    await page.route((url) => /\/messages(\/\d+\/ack)?$/.test(url.pathname), async (route) => {
      if (route.request().method() === 'POST') {
        unanswered.push(route);
      } else {
        await route.fallback();
      }
    });
    const box = page.getByRole('textbox', { name: 'Message' });
    const send = page.locator('#send');
    const button = () => send.evaluate((el) => ({ text: el.textContent, disabled: el.disabled }));
    const said = page.locator('#composer-error');
    await box.fill('anyone there?');
    await send.tap();
    await eventually(button, (b) => b.text === 'Sending…' && b.disabled, '"Sending…" while it is on its way');
    await eventually(() => said.textContent(), (t) => t === NOT_SENT, '"Not sent" once no answer came in time');
    assert.equal(await box.inputValue(), 'anyone there?', 'the text is still there');
    assert.deepEqual(await button(), { text: 'Send', disabled: false }, 'Send can be tried again');
    await page.locator('#log .msg', { hasText: text }).locator('.ack-button').tap();
    await eventually(() => said.textContent(), (t) => t === 'Not acknowledged: the server cannot be reached.',
      '"Not acknowledged" once no answer came in time');
    assert.equal(unanswered.length, 2, 'the message and the acknowledgement were posted');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a message whose answer was lost leaves the box when the room\'s copy arrives, stored once', async () => {
    const room = await newRoom('answer-lost');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Lou');
    // the room stores the message, and its answer is lost on the way back
    await page.route((url) => url.pathname.endsWith('/messages'), async (route) => {
      if (route.request().method() !== 'POST') {
        await route.fallback();
        return;
      }
      await route.fetch();
      await route.abort();
    });
    const box = page.getByRole('textbox', { name: 'Message' });
    const text = marker('answer lost');
    await box.fill(text);
    await box.press('Enter');
    await page.locator('#log .msg', { hasText: text }).waitFor();
    await eventually(() => box.inputValue(), (value) => value === '', 'the box emptied: it was sent');
    await eventually(() => page.locator('#composer-error').textContent(), (t) => t === '', 'no "Not sent"');
    assert.equal((await room.messages()).filter((m) => m.text === text).length, 1, 'stored once');
    assert.equal(await countOnPage(page, text), 1, 'shown once');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('every try of one message goes with the same idempotency_key, a changed text and the next message with new ones, with or without crypto.randomUUID', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    // crypto.randomUUID exists only on HTTPS and localhost pages: a plain-HTTP network address has none
    for (const withRandomUuid of [true, false]) {
      const room = await newRoom('idempotency');
      const { page, errors, context } = await newPage(browser);
      if (!withRandomUuid) {
        await page.addInitScript(() => { delete Crypto.prototype.randomUUID; });
      }
      await enter(page, room, 'Ida');
      const box = page.getByRole('textbox', { name: 'Message' });
      // the name held first: holding it follows the room anew, and being connected again takes "Not sent" back
      await box.fill('hello');
      await box.press('Enter');
      await page.locator('#log .msg', { hasText: 'hello' }).waitFor();
      const keys = [];
      let answered = false;
      await page.route((url) => url.pathname.endsWith('/messages'), async (route) => {
        if (route.request().method() !== 'POST') {
          await route.fallback();
          return;
        }
        keys.push(route.request().postDataJSON().idempotency_key);
        await (answered ? route.fallback() : route.abort());
      });
      const said = page.locator('#composer-error');
      /** Sends what the box holds, waits until the try is over and checks what the page says of it. */
      const send = async (expected) => {
        const tries = keys.length;
        await box.press('Enter');
        await eventually(async () => keys.length > tries && await page.locator('#send').textContent() === 'Send',
          Boolean, 'the try over');
        assert.equal(await said.textContent(), expected);
      };
      await box.fill('first words');
      await send(NOT_SENT);
      await send(NOT_SENT);
      await box.fill('first words, better');
      await send(NOT_SENT);
      answered = true;
      await send('');
      await box.fill('second message');
      await send('');
      assert.equal(await box.inputValue(), '', 'the second message sent');
      assert.ok(keys.every((key) => uuid.test(key)), `random UUIDs: ${keys}`);
      assert.equal(keys[1], keys[0], 'a retry of the same text: the same key');
      assert.notEqual(keys[2], keys[1], 'a changed text: a new key');
      assert.equal(keys[3], keys[2], 'its retry, which goes through: the same key');
      assert.notEqual(keys[4], keys[3], 'the next message: a new key');
      assert.deepEqual((await room.messages()).map((m) => m.text), ['hello', 'first words, better', 'second message']);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  test('a keyboard reaches the message box in one step from the top of a long room', async () => {
    const room = await newRoom('keyboard');
    for (let i = 1; i <= 30; i += 1) {
      await room.post('builder', `step ${i}`);
    }
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Kay');
    await page.locator('#log .msg', { hasText: 'step 30' }).waitFor();
    await page.evaluate(() => { // as a keyboard finds the page: from its top
      const top = document.createElement('span');
      top.tabIndex = -1;
      document.body.prepend(top);
      top.focus();
    });
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to the message box');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'message');
    await page.keyboard.type('typed without the mouse');
    await page.keyboard.press('Enter');
    await eventually(() => room.messages(), (messages) => messages.some((m) => m.text === 'typed without the mouse'),
      'sent from the keyboard');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a reader at the newest message keeps it in view when an error line opens above the composer', async () => {
    const room = await newRoom('stays-at-end');
    for (let i = 1; i <= 40; i += 1) {
      await room.post('builder', `line ${i} of a long conversation`);
    }
    const { page, errors, context } = await newPage(browser, { viewport: { width: 1100, height: 500 } });
    await enter(page, room, 'Reader');
    const newest = page.locator('#log .msg', { hasText: 'line 40 of' });
    await newest.waitFor();
    const inView = async () => {
      const [log, message] = [await page.locator('#log').boundingBox(), await newest.boundingBox()];
      return message.y + message.height <= log.y + log.height + 1;
    };
    await eventually(inView, (ok) => ok, 'the newest message in view at first');
    await page.getByRole('textbox', { name: 'Message' }).fill('   ');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('#composer-error', { hasText: 'only spaces' }).waitFor();
    await eventually(inView, (ok) => ok, 'the newest message still in view under the error line');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a new attempt clears the previous error, a blank Send too', async () => {
    const room = await newRoom('error-cleared');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Retrier');
    const box = page.getByRole('textbox', { name: 'Message' });
    const send = page.getByRole('button', { name: 'Send' });
    const error = page.locator('#composer-error');
    await box.fill('z'.repeat(70 * 1024));
    await send.click();
    await eventually(() => error.textContent(), (text) => /bytes/.test(text), 'the too-long message refused');
    await box.fill('');
    await send.click();
    await eventually(() => error.textContent(), (text) => text === '', 'the old error gone after a blank Send');
    await box.fill('   ');
    await send.click();
    await eventually(() => error.textContent(), (text) => text === 'Nothing to send: the message is only spaces.',
      'spaces alone are said to be nothing to send');
    await box.fill('z'.repeat(70 * 1024));
    await send.click();
    await eventually(() => error.textContent(), (text) => /bytes/.test(text), 'refused again');
    await page.getByRole('textbox', { name: 'name' }).fill('');
    await box.fill('hello?');
    await send.click();
    await eventually(() => error.textContent(), (text) => text === 'Pick a name first.', 'replaced by the new reason');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('an observer reads without the composer and without Ack and ↩ on the messages', async () => {
    const observer = marker('watch-only');
    const room = await newRoom('observer', undefined, { observer });
    const said = await room.post('agent', marker('said'), { ack_requested: true });
    const member = await newPage(browser);
    const watcher = await newPage(browser);
    await enter(member.page, room, 'Member');
    await enter(watcher.page, new Room(room.url, observer), 'Watcher');
    const buttons = (page) => [
      page.locator(`#log .msg[data-id="${said.id}"] .ack-button`),
      page.locator(`#log .msg[data-id="${said.id}"] .reply-button`),
    ];
    await member.page.locator(`#log .msg[data-id="${said.id}"]`).hover();
    for (const button of buttons(member.page)) {
      assert.equal(await button.isVisible(), true, 'a member acknowledges and replies');
    }
    await watcher.page.locator(`#log .msg[data-id="${said.id}"]`).hover();
    assert.equal(await watcher.page.getByRole('textbox', { name: 'Message' }).isVisible(), false, 'no composer');
    assert.equal(await watcher.page.getByText('You are watching').isVisible(), true, 'the page says why');
    assert.equal(await member.page.getByText('You are watching').isVisible(), false, 'a member is not told so');
    for (const button of buttons(watcher.page)) {
      assert.equal(await button.isVisible(), false, 'the observer has nothing to click');
    }
    for (const { errors, context } of [member, watcher]) {
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  test('a message posted through the API appears live, with mentions, replies, code and links', async () => {
    const room = await newRoom('live');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Dana');
    const first = await room.post('planner', marker('plan'));
    const text = marker('ping');
    await room.post('builder', `@Dana ${text} see https://example.org/docs. and\n\`\`\`js\nconst x = 1;\n\`\`\``,
      { reply_to: first.id });
    const message = page.locator('#log .msg', { hasText: text });
    await message.waitFor({ timeout: 5000 });
    assert.equal(await message.evaluate((el) => el.classList.contains('for-me')), true, 'mention stands out');
    assert.equal(await message.locator('.mention-me').textContent(), '@Dana');
    assert.match(await message.locator('.reply-to').textContent(), /planner/);
    assert.equal(await message.locator('pre code').textContent(), 'const x = 1;');
    const link = message.getByRole('link');
    assert.equal(await link.getAttribute('href'), 'https://example.org/docs');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('formatting edge cases: fences, links, mentions, e-mail addresses', async () => {
    const room = await newRoom('formatting');
    const { page, context } = await newPage(browser);
    await page.goto(room.url);
    const result = await page.evaluate(async () => {
      const { renderText, splitFences } = await import('./render.js');
      /** @param {string} text @param {string[]} mentions as the server lists them @param {string} reader */
      const html = (text, mentions = [], reader = 'bob') => {
        const div = document.createElement('div');
        div.append(renderText(text, reader, mentions));
        return div.innerHTML;
      };
      return {
        unclosed: splitFences('before\n```py\nx = 1\n  y'),
        inlineFence: html('not a fence: ```x``` here'),
        link: html('see (https://example.org/a_b?c=1).'),
        email: html('mail bob@example.org or @bob.', ['bob']),
        other: html('@Bobby and @BOB', ['Bobby', 'BOB']),
        unlisted: html('@bob is not listed'),
        inWords: html('x@bob and @bobby, then @bob.', ['bobby', 'bob']),
        unicode: html('merci @CAFÉ! 「@エージェント」 <b>@café</b>', ['CAFÉ', 'エージェント'], 'café'),
        javascript: html('javascript:alert(1) and data:text/html,<b>x</b>'),
        bold: html('**done**: tests pass, **see `x` and @bob**. Not: src/**/x.java, docs/** a ** b **, '
          + '`**code**`, ** spaced**', ['bob']),
      };
    });
    assert.deepEqual(result.unclosed, [
      { code: false, text: 'before' }, { code: true, lang: 'py', text: 'x = 1\n  y' }]);
    assert.equal(result.inlineFence, '<p dir="auto">not a fence: ``<code>x</code>`` here</p>');
    assert.equal(result.link, '<p dir="auto">see (<a href="https://example.org/a_b?c=1" target="_blank" '
      + 'rel="noopener noreferrer">https://example.org/a_b?c=1</a>).</p>');
    assert.equal(result.email, '<p dir="auto">mail bob@example.org or <span class="mention mention-me" data-name="bob">'
      + '@bob</span>.</p>');
    assert.equal(result.other, '<p dir="auto"><span class="mention" data-name="Bobby">@Bobby</span> and '
      + '<span class="mention mention-me" data-name="BOB">@BOB</span></p>');
    assert.equal(result.unlisted, '<p dir="auto">@bob is not listed</p>', 'only names the server listed light up');
    assert.equal(result.inWords, '<p dir="auto">x@bob and <span class="mention" data-name="bobby">@bobby</span>, then '
      + '<span class="mention mention-me" data-name="bob">@bob</span>.</p>');
    assert.equal(result.bold, '<p dir="auto"><strong>done</strong>: tests pass, <strong>see <code>x</code> and '
      + '<span class="mention mention-me" data-name="bob">@bob</span></strong>. Not: src/**/x.java, docs/** a ** b **, '
      + '<code>**code**</code>, ** spaced**</p>');
    assert.equal(result.unicode, '<p dir="auto">merci <span class="mention mention-me" data-name="CAFÉ">@CAFÉ</span>! 「'
      + '<span class="mention" data-name="エージェント">@エージェント</span>」 &lt;b&gt;'
      + '<span class="mention mention-me" data-name="café">@café</span>&lt;/b&gt;</p>');
    assert.equal(result.javascript, '<p dir="auto">javascript:alert(1) and data:text/html,&lt;b&gt;x&lt;/b&gt;</p>');
    await context.close();
  });

  test('mentions in any script light up where the server found them', async () => {
    const room = await newRoom('unicode-mentions');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'エージェント');
    const text = marker('unicode');
    const stored = await room.post('café', `@エージェント ${text}, ask @Émile. Not josé@café.example`);
    assert.deepEqual(stored.mentions, ['エージェント', 'Émile']);
    const message = page.locator('#log .msg', { hasText: text });
    await message.waitFor({ timeout: 5000 });
    assert.equal(await message.evaluate((el) => el.classList.contains('for-me')), true, 'mention stands out');
    assert.equal(await message.locator('.mention-me').textContent(), '@エージェント');
    assert.deepEqual(await message.locator('.mention').allTextContents(), ['@エージェント', '@Émile']);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('hostile text is shown as text and runs nothing', async () => {
    const room = await newRoom('hostile');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room);
    const img = '<img src=x onerror="window.__pwned=1">';
    const script = '<script>window.__pwned=2</script>';
    const text = marker('hostile');
    await room.post('<b onmouseover=alert(1)>mallory</b>', `${text} ${img} ${script} [x](javascript:alert(3))`);
    const message = page.locator('#log .msg', { hasText: text });
    await message.waitFor({ timeout: 5000 });
    const body = await message.locator('.msg-body').textContent();
    assert.ok(body.includes(img), 'img tag shown literally');
    assert.ok(body.includes(script), 'script tag shown literally');
    assert.equal(await message.locator('.agent').first().textContent(), '<b onmouseover=alert(1)>mallory</b>');
    assert.equal(await page.locator('#log img, #log script, #log b').count(), 0);
    assert.equal(await message.getByRole('link').count(), 0, 'no javascript: link');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);

    // an invisible right-to-left override would show "evil\u202Etxt.exe" as "evilexe.txt"
    const spoof = marker('bidi');
    await room.post('mallory', `${spoof} open evil\u202Etxt.exe\u202C now`);
    const spoofed = page.locator('#log .msg', { hasText: spoof });
    await spoofed.waitFor({ timeout: 5000 });
    const shown = await spoofed.locator('.msg-body').textContent();
    assert.ok(shown.includes('evil\uFFFDtxt.exe\uFFFD now'), shown);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('reading history is not yanked down; the new-messages button jumps back', async () => {
    const room = await newRoom('history');
    const { page, context } = await newPage(browser, { viewport: { width: 900, height: 500 } });
    await enter(page, room);
    for (let i = 0; i < 25; i += 1) {
      await room.post('filler', `${marker('filler')} line ${i}`);
    }
    const log = page.getByRole('list', { name: 'Conversation' });
    await eventually(() => log.evaluate((el) => el.scrollHeight > el.clientHeight * 2), Boolean, 'a long log');
    await log.evaluate((el) => { el.scrollTop = 0; });
    const text = marker('while-reading');
    await room.post('agent', text);
    await page.getByRole('button', { name: /1 new message/ }).waitFor();
    assert.equal(await log.evaluate((el) => el.scrollTop), 0, 'scroll position kept');
    await page.getByRole('button', { name: /new message/ }).click();
    await eventually(() => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight), (gap) => gap < 5,
      'scrolled to the end');
    assert.equal(await page.locator('#jump').isVisible(), false);
    await context.close();
  });

  test('a background tab counts new messages in its title, marking ones for the reader', async () => {
    const room = await newRoom('background');
    const { page, context } = await newPage(browser);
    await page.addInitScript(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.testHidden === true });
    });
    await enter(page, room, 'Tab-Reader');
    await page.evaluate(() => { window.testHidden = true; });
    await room.post('agent', marker('background'));
    await room.post('agent', `@Tab-Reader ${marker('background-for-you')}`);
    await eventually(() => page.title(), (t) => t === `(2!) ${room.name()} · agent-chat`, 'unread count in the title');
    await page.evaluate(() => {
      window.testHidden = false;
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await eventually(() => page.title(), (t) => t === `${room.name()} · agent-chat`, 'title back to normal');
    await context.close();
  });

  test('who is online follows streams opening and closing', async () => {
    const room = await newRoom('presence');
    const { page, context } = await newPage(browser);
    await enter(page, room, 'Watcher-Human');
    const name = marker('listener');
    const stream = new AbortController();
    const response = await room.stream(name, stream.signal);
    assert.equal(response.status, 200);
    const person = page.locator('#people-list .person', { hasText: name });
    await eventually(() => person.getAttribute('class', { timeout: 500 }).catch(() => ''), (c) => /online/.test(c),
      'listener online');
    await eventually(() => page.locator('#people-list').textContent(), (t) => /Watcher-Human/.test(t), 'the page itself listed');
    stream.abort();
    await eventually(() => person.getAttribute('class'), (c) => !/online/.test(c), 'listener away');
    await context.close();
  });
});

describe('connection', () => {
  test('falls back to long-poll when the stream is blocked, and back when it works again', async () => {
    const room = await newRoom('fallback');
    const { page, errors, context } = await newPage(browser);
    await page.route('**/messages/stream**', (route) => route.abort());
    await page.goto(room.link());
    await page.locator('#status[data-state="connected"][data-transport="poll"]').waitFor({ timeout: 20000 });
    assert.match(await page.getByRole('status').textContent(), /polling/);
    const text = marker('via-poll');
    await room.post('poller', text);
    await eventually(() => countOnPage(page, text), (n) => n === 1, 'message delivered by long-poll', 10000);

    // the stream gets through again: after the next poll, the page goes back to it (the page retries
    // the stream once it has polled for data-stream-retry-ms; 1 ms, so that however soon after the
    // switch the next poll is answered, it is time to try)
    await page.evaluate(() => { document.documentElement.dataset.streamRetryMs = '1'; });
    await page.unroute('**/messages/stream**');
    await room.post('poller', marker('wake-the-poll'));
    await explained(page, () => page.locator('#status[data-state="connected"][data-transport="stream"]')
      .waitFor({ timeout: 10000 }));
    const live = marker('via-stream-again');
    await room.post('poller', live);
    await eventually(() => countOnPage(page, live), (n) => n === 1, 'message delivered by the stream again');
    assert.equal(await countOnPage(page, text), 1, 'nothing doubled by the switch');
    const ids = await page.locator('#log .msg').evaluateAll((els) => els.map((el) => el.dataset.id));
    assert.equal(new Set(ids).size, ids.length, 'no id shown twice');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a stream that goes silent is noticed and resumed, losing and doubling nothing (acknowledgements included)', async (t) => {
    const direct = await newRoom('silent');
    const proxy = await silencingProxy(t, direct);
    const { room } = proxy;
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Watcher');
    // the server here sends a keepalive every 2 s; silent for three of them is lost
    await page.evaluate(() => { document.documentElement.dataset.silenceMs = '6000'; });
    const before = marker('before-silence');
    const asked = await direct.post('agent', before, { ack_requested: true });
    await eventually(() => countOnPage(page, before), (n) => n === 1, 'message before the silence');
    // keepalive events keep a quiet stream alive: well past the silence timeout, still the first stream
    const seen = proxy.keepalives();
    await eventually(async () => proxy.keepalives(), (n) => n >= seen + 4, 'keepalive events on the stream', 20000);
    assert.equal(proxy.streams(), 1, 'a stream that sends keepalives is not taken for silent');

    proxy.silence();
    // posted while the stream forwards nothing: it must arrive once, by the resumed stream
    const during = marker('during-silence');
    await direct.post('agent', during);
    await direct.ack(asked.id, 'dev1');
    await explained(page, () => eventually(async () => proxy.streams(), (n) => n >= 2,
      'the silent stream noticed and opened again', 20000));
    await explained(page, () => eventually(() => countOnPage(page, during), (n) => n === 1,
      'message posted during the silence'));
    await page.locator('#status[data-state="connected"][data-transport="stream"]').waitFor({ timeout: 15000 });
    const after = marker('after-silence');
    await direct.post('agent', after);
    await eventually(() => countOnPage(page, after), (n) => n === 1, 'live message after the silence');
    await eventually(() => page.locator(`#log .msg[data-id="${asked.id}"] .acks`).textContent(), (text) => text === 'Acknowledged by dev1',
      'the acknowledgement given during the silence');
    assert.equal(await countOnPage(page, before), 1, 'message from before the silence still shown once');
    assert.equal(await countOnPage(page, during), 1, 'message from the silence shown once');
    const ids = await page.locator('#log .msg').evaluateAll((els) => els.map((el) => el.dataset.id));
    assert.equal(new Set(ids).size, ids.length, 'no id shown twice');
    assert.equal(await page.locator('#log .notice', { hasText: 'restarted' }).count(), 0, 'not taken for a restart');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a password that stops working stops following and asks for the password again', async () => {
    const room = await newRoom('password-stops');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Locked');
    // from now on the room refuses the page's password, as after a change of password
    let refused = 0;
    await page.route('**/messages**', (route) => {
      refused += 1;
      return route.fulfill({
        status: 401, contentType: 'application/json',
        body: '{"error":"Invalid password","code":"invalid_password"}',
      });
    });
    // a new name makes the page reconnect, which meets the refusal
    await page.getByLabel('Your name').fill('Locked out');
    await explained(page, () => page.getByRole('alert').filter({ hasText: 'password has changed' })
      .waitFor({ timeout: 15000 }));
    assert.equal(await page.getByLabel('Room password').isVisible(), true, 'asks for the password');
    assert.equal(await page.getByRole('list', { name: 'Conversation' }).isVisible(), false, 'the room is closed');
    assert.ok(refused >= 1, 'the refusal came from the room');
    const key = `agent-chat.password:${new URL(room.url).pathname}`;
    assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), key), null, 'the wrong password is forgotten');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a host key that stops working says so, not that the room password changed', async () => {
    const room = await newRoom('host-key-stops');
    const { page, errors, context } = await newPage(browser);
    await enter(page, new Room(room.url, HOST_KEY), 'Host');
    // from now on the server refuses the key, as after a restart that made a new one
    await page.route('**/messages**', (route) => route.fulfill({
      status: 401, contentType: 'application/json',
      body: '{"error":"Invalid token: not the host key serve printed","code":"invalid_token"}',
    }));
    await page.getByLabel('Your name').fill('Host again');
    await explained(page, () => page.getByRole('alert').filter({ hasText: 'The host key no longer works' })
      .waitFor({ timeout: 15000 }));
    assert.equal(await page.getByRole('alert').filter({ hasText: 'password has changed' }).count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('reconnects after the server restarts, losing and doubling nothing', async (t) => {
    const server = await ownServer(t);
    const { room } = server;
    const { page, context } = await newPage(browser);
    await enter(page, room, 'Restarter');
    // the session cookie counts as fresh all through the test, as when a server restarts right after
    // a page opened its session: only knowing the server restarted makes the page ask again
    await page.evaluate(() => { document.documentElement.dataset.sessionRenewMs = '600000'; });
    // as on a server that ran a while: the page's cursor ends beyond what the restarted room holds here
    for (let i = 0; i < 5; i += 1) {
      await room.post('agent', marker('earlier'));
    }
    const before = marker('before-restart');
    await room.post('agent', before);
    await eventually(() => countOnPage(page, before), (n) => n === 1, 'message before restart');
    const polls = [];
    page.on('request', (request) => {
      if (request.url().includes('/messages/poll')) {
        polls.push(request.url());
      }
    });
    await server.stop();
    await page.locator('#status:not([data-state="connected"])').waitFor({ timeout: 10000 });
    await server.start();
    // posted while the page is still reconnecting: it must arrive by the replay
    const during = marker('during-reconnect');
    await room.post('agent', during);
    await explained(page, () => page.locator('#status[data-state="connected"]').waitFor({ timeout: 30000 }));
    await explained(page, () => eventually(() => countOnPage(page, during), (n) => n === 1,
      'message posted during reconnect'));
    const live = marker('after-restart');
    await room.post('agent', live);
    await eventually(() => countOnPage(page, live), (n) => n === 1, 'live message after restart');
    assert.equal(await countOnPage(page, before), 1, 'message from before the restart still shown once');
    assert.equal(await page.locator('#log .notice', { hasText: 'restarted' }).count(), 1, 'restart noticed once');
    assert.equal(await countOnPage(page, during), 1);
    // the stream came back at once: the page asked the restarted server for a new session cookie
    // instead of being refused and falling back to polling
    assert.deepEqual(polls, [], 'followed by the stream again, not by polling');
    await context.close();
  });

  test('a restart is told even when the stream had not yet brought the page its own message', async (t) => {
    const server = await ownServer(t);
    const { room } = server;
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Early');
    await page.locator('#status[data-state="connected"]').waitFor({ timeout: 15000 });
    // nothing more reaches the page but the answer to its own post: its only id is that answer's
    await page.route('**/messages/stream**', (route) => route.abort());
    await page.route('**/messages/poll**', (route) => route.abort());
    const box = page.getByRole('textbox', { name: 'Message' });
    const first = marker('only-by-its-answer');
    await box.fill(first);
    await box.press('Enter');
    await eventually(() => room.messages(), (found) => found.some((m) => m.text === first), 'stored');
    await eventually(() => countOnPage(page, first), (n) => n === 1, 'shown from the answer');
    await server.stop();
    await server.start();
    await page.unroute('**/messages/stream**');
    await page.unroute('**/messages/poll**');
    await explained(page, () => page.locator('#log .notice', { hasText: 'restarted' }).waitFor({ timeout: 30000 }));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('after the server restarts, a person\'s next message goes through at once: the page holds its name again', async (t) => {
    const server = await ownServer(t);
    const { room } = server;
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Comeback');
    const box = page.getByRole('textbox', { name: 'Message' });
    const stored = async (text) => (await room.messages()).filter((m) => m.text === text);
    const first = marker('before-restart');
    await box.fill(first);
    await box.press('Enter');
    await eventually(() => stored(first), (found) => found.length === 1 && found[0].verified, 'the name held');
    // the restarted server no longer knows the page's token
    await server.stop();
    await page.locator('#status:not([data-state="connected"])').waitFor({ timeout: 10000 });
    await server.start();
    await explained(page, () => page.locator('#log .notice', { hasText: 'restarted' }).waitFor({ timeout: 30000 }));
    await page.locator('#status[data-state="connected"]').waitFor({ timeout: 15000 });
    const next = marker('after-restart');
    await box.fill(next);
    await box.press('Enter');
    await explained(page, () => eventually(() => stored(next),
      (found) => found.length === 1 && found[0].verified && found[0].agent === 'Comeback', 'one Send: stored once, held'));
    await eventually(() => box.inputValue(), (value) => value === '', 'the box cleared');
    assert.equal(await page.locator('#composer-error').textContent(), '', 'no error');
    await eventually(() => countOnPage(page, next), (n) => n === 1, 'shown once');
    // the name given up elsewhere (its token ended): an acknowledgement holds it again too
    const token = await page.evaluate(() => Object.entries(sessionStorage).find(([key]) => key.startsWith('agent-chat.token:'))[1]);
    const left = await fetch(`${room.url}join`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    assert.equal(left.ok, true, `DELETE join answered ${left.status}`);
    const asked = await room.post('agent', marker('please-ack'), { ack_requested: true });
    await page.getByRole('button', { name: `Ack message ${asked.id} from agent` }).click();
    await explained(page, () => eventually(() => page.locator(`#log .msg[data-id="${asked.id}"] .acks`).textContent(),
      (text) => text === 'Acknowledged by Comeback', 'the acknowledgement'));
    assert.equal(await page.locator('#composer-error').textContent(), '', 'no error');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a room that no longer exists stops following and says so, also after a reload', async (t) => {
    const server = await ownServer(t);
    const room = await newRoom('gone', server.url);
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Leftover');
    const before = marker('before-gone');
    await room.post('agent', before);
    await eventually(() => countOnPage(page, before), (n) => n === 1, 'message before the room went');
    // rooms live in memory: the restarted server has no such room, and answers 404 room_not_found for it
    await server.stop();
    await server.start();
    const notice = page.getByRole('alert').filter({ hasText: 'This room no longer exists' });
    const following = /\/messages\/(stream|poll)\?/;
    for (const visit of ['gone', 'reloaded']) {
      await explained(page, () => notice.waitFor({ timeout: 15000 }));
      const status = page.locator('#status');
      assert.equal(await status.getAttribute('data-state'), 'gone', `${visit}: not reconnecting`);
      assert.equal(await status.textContent(), 'Room gone');
      assert.equal(await page.locator('#online-count').textContent(), '–', `${visit}: no count of people online`);
      assert.equal(await page.getByRole('textbox', { name: 'Message' }).isVisible(), false, `${visit}: no composer`);
      assert.equal(await page.locator('#export').isVisible(), false, `${visit}: no export of a transcript that went with the room`);
      // the first retries would come within 0.5 s, 1 s and 2 s: none comes
      const retry = await page.waitForRequest((request) => following.test(request.url()), { timeout: 3500 })
        .then((request) => request.url(), () => null);
      assert.equal(retry, null, `${visit}: the page asked again for ${retry}`);
      if (visit === 'gone') {
        assert.equal(await countOnPage(page, before), 1, 'what was said stays readable');
        const said = page.locator('#log .msg', { hasText: before });
        await said.hover();
        assert.equal(await said.locator('.reply-button').isVisible(), false, 'no ↩ where nothing can be sent');
        await page.reload();
      }
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a full server is reported while the page waits for a place, with its reason', async (t) => {
    const { room } = await ownServer(t, { limits: { 'streams-total': 1, 'polls-total': 1 } });
    const earlier = marker('before-full');
    const { id } = await room.post('agent', earlier);
    // another client holds the server's only stream and its only waiting poll (the page's reading of the
    // history needs no place)
    const holder = new AbortController();
    t.after(() => holder.abort());
    assert.equal((await room.stream('streamer', holder.signal)).status, 200);
    fetch(`${room.url}messages/poll?after=${id}&wait=60&agent=poller`, {
      headers: { 'X-Room-Password': room.password }, signal: holder.signal,
    }).catch(() => {});
    await eventually(async () => (await room.call('GET', 'agents')).agents.find((a) => a.name === 'poller')?.waiting,
      (waiting) => waiting === true, 'the only poll held');
    const { page, errors, context } = await newPage(browser);
    await page.goto(room.link());
    await page.locator('#log .msg', { hasText: earlier }).waitFor();
    const full = page.locator('#status[data-state="reconnecting"]', { hasText: 'The server has too many open connections' });
    await explained(page, () => full.waitFor({ timeout: 20000 }));
    assert.equal(await page.locator('#status').getAttribute('title'), 'The server has too many open connections');
    // it stays so, asking again as late as the server says (Retry-After: 5), never passing for connected
    const polls = [];
    page.on('request', (request) => {
      if (request.url().includes('/messages/poll')) {
        polls.push(request.url());
      }
    });
    const shown = new Set();
    for (let i = 0; i < 60; i += 1) {
      shown.add(await page.locator('#status').evaluate((el) => `${el.dataset.state}: ${el.textContent}`));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual([...shown], ['reconnecting: Reconnecting… The server has too many open connections']);
    assert.ok(polls.length <= 2, `asked ${polls.length} times in 6 s: ${polls.join(', ')}`);
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-server-full.png') });
    // on a phone the reason gives way: nothing is pushed off the screen
    await page.setViewportSize({ width: 360, height: 740 });
    await page.screenshot({ path: join(ARTIFACTS, 'phone-server-full.png') });
    const phone = await page.evaluate(() => {
      const box = (id) => document.getElementById(id).getBoundingClientRect();
      const status = document.getElementById('status');
      return {
        page: document.documentElement.scrollWidth, status: box('status'), export: box('export'),
        statusCut: status.scrollWidth > status.clientWidth,
      };
    });
    assert.ok(phone.page <= 360 && phone.status.right <= phone.export.left && !phone.statusCut, JSON.stringify(phone));

    // the other client leaves: the page gets its place and follows the room again
    holder.abort();
    await explained(page, () => page.locator('#status[data-state="connected"]').waitFor({ timeout: 15000 }));
    assert.doesNotMatch(await page.locator('#status').textContent(), /too many/, 'the reason goes with the refusal');
    const live = marker('after-full');
    await room.post('agent', live);
    await explained(page, () => eventually(() => countOnPage(page, live), (n) => n === 1, 'a message once there is room'));
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('after a restart, a room that already has as many messages as the page saw is read from its start', async (t) => {
    const server = await ownServer(t);
    const { room } = server;
    const { page, context } = await newPage(browser);
    await enter(page, room, 'Returner');
    const before = marker('before-second-restart');
    const seen = (await room.post('agent', before)).id;
    await eventually(() => countOnPage(page, before), (n) => n === 1, 'message before restart');
    // the page cannot reach the room until the new one has caught up with (and passed) its cursor: a
    // page that resumed without first checking its cursor against the room would skip the new room's
    // first messages
    await page.route('**/messages**', (route) => route.abort());
    await server.stop();
    await page.locator('#status:not([data-state="connected"])').waitFor({ timeout: 10000 });
    await server.start();
    const first = marker('first-in-new-room');
    assert.ok((await room.post('agent', first)).id <= seen, 'the new room numbers its messages from 1 again');
    for (let i = 0; i < seen + 2; i += 1) {
      await room.post('agent', marker('filler'));
    }
    await page.unroute('**/messages**');
    await explained(page, () => page.locator('#status[data-state="connected"]').waitFor({ timeout: 30000 }));
    await explained(page, () => eventually(() => countOnPage(page, first), (n) => n === 1,
      "the new room's first message"));
    assert.equal(await countOnPage(page, before), 1, 'message from before the restart still shown once');
    await context.close();
  });
});

/**
 * The conversation the screenshots show, posted through the API.
 * @param {import('./harness.js').Room} room
 * @returns {Promise<{reply: {id: number}}>} the builder's reply, for a later message to answer
 */
async function sampleConversation(room) {
  const plan = await room.post('planner', 'Plan for today: @builder wires the stream endpoint, '
    + '@reviewer checks the error catalogue. I will write the README.');
  const reply = await room.post('builder', 'On it. The stream now resumes with `Last-Event-ID`:',
    { reply_to: plan.id });
  await room.post('builder', '```java\nFlux<SseFrame> stream(long after) {\n    return room.follow(after);\n}\n```');
  await room.post('reviewer', 'Error bodies look right: {"error":"Invalid password","code":"invalid_password"}. '
    + 'Details in https://example.org/agent-chat/errors', { to: ['planner'] });
  await room.post('planner', '@Alex could you try the web UI on your phone?');
  return { reply };
}

describe('layout', () => {
  test('desktop screenshot of a conversation (light and dark)', async () => {
    const room = await newRoom('desktop');
    const { page, errors, context } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    await enter(page, room, 'Alex');
    await sampleConversation(room);
    await page.locator('#log .msg', { hasText: 'on your phone' }).waitFor();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Sure, looking now');
    await box.press('Enter');
    await page.locator('#log .msg.mine', { hasText: 'looking now' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'desktop.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-dark.png') });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('at 360 px the header shows the room\'s name and topic, the whole status and a readable search box', async () => {
    const room = await newRoom('phone-header');
    const topic = 'Ship the 2.0 release: freeze on Friday, notes by Thursday, nobody touches the build';
    await room.setTopic(topic);
    const { page, errors, context } = await newPage(browser, {
      viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
    });
    await enter(page, room, 'Sam');
    await eventually(() => page.locator('#topic').textContent(), (text) => text === topic, 'the topic');
    await page.screenshot({ path: join(ARTIFACTS, 'phone-header.png') });
    const header = await page.evaluate(() => {
      const fits = (el) => {
        const box = el.getBoundingClientRect();
        return { left: box.left, right: box.right, height: box.height, scroll: el.scrollWidth, client: el.clientWidth };
      };
      const search = document.getElementById('search-input');
      const style = getComputedStyle(search);
      const pen = document.createElement('canvas').getContext('2d');
      pen.font = style.font;
      return {
        page: document.documentElement.scrollWidth,
        topic: { ...fits(document.getElementById('topic')), visible: document.getElementById('topic').checkVisibility(),
          lineHeight: parseFloat(getComputedStyle(document.getElementById('topic')).lineHeight),
          ellipsis: getComputedStyle(document.getElementById('topic')).textOverflow },
        name: { ...fits(document.getElementById('room-name')), visible: document.getElementById('room-name').checkVisibility(),
          lineHeight: parseFloat(getComputedStyle(document.getElementById('room-name')).lineHeight),
          ellipsis: getComputedStyle(document.getElementById('room-name')).textOverflow },
        search: { ...fits(search), placeholder: search.placeholder, needs: pen.measureText(search.placeholder).width,
          room: search.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) },
        // every text the status may show, the longest included
        status: ['Connecting…', 'Connected · live', 'Connected · polling', 'Reconnecting…', 'Offline', 'Removed'].map((text) => {
          const status = document.getElementById('status');
          const shown = status.textContent;
          status.textContent = text;
          const measured = { text, ...fits(status) };
          status.textContent = shown;
          return measured;
        }),
        parts: [...document.querySelector('.topbar').children].filter((el) => el.checkVisibility())
          .map((el) => ({ id: el.id || el.className, ...fits(el) })),
      };
    });
    const what = JSON.stringify(header);
    assert.ok(header.page <= 360, `page is ${header.page}px wide; ${what}`);
    assert.ok(header.topic.visible, `the topic is shown; ${what}`);
    assert.ok(header.topic.height < 1.5 * header.topic.lineHeight, `the topic is one line; ${what}`);
    // the room's name takes at most half the line beside the topic
    assert.ok(header.topic.client >= 80, `the topic has room; ${what}`);
    assert.ok(header.topic.scroll <= header.topic.client || header.topic.ellipsis === 'ellipsis', `a long topic ends in …; ${what}`);
    assert.ok(header.name.visible && header.name.client >= 80 && header.name.height < 1.5 * header.name.lineHeight,
      `the room's name is shown, on one line; ${what}`);
    assert.ok(header.name.scroll <= header.name.client || header.name.ellipsis === 'ellipsis', `a long name ends in …; ${what}`);
    assert.ok(header.search.placeholder.length > 0 && header.search.needs <= header.search.room,
      `the placeholder "${header.search.placeholder}" needs ${header.search.needs}px of ${header.search.room}px; ${what}`);
    for (const status of header.status) {
      assert.ok(status.scroll <= status.client, `status "${status.text}" is cut; ${what}`);
    }
    for (const part of header.parts) {
      assert.ok(part.left >= 0 && part.right <= 360, `${part.id} fits the screen; ${what}`);
    }
    // a tooltip cannot be seen on a phone: a tap shows the whole topic, another folds it again
    await page.locator('#topic').tap();
    const opened = await page.locator('#topic').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth,
      height: el.getBoundingClientRect().height, page: document.documentElement.scrollWidth }));
    assert.ok(opened.scroll <= opened.client && opened.height > 1.5 * header.topic.lineHeight && opened.page <= 360,
      `the whole topic, on more lines, within the screen: ${JSON.stringify(opened)}`);
    await page.locator('#topic').tap();
    assert.ok((await page.locator('#topic').evaluate((el) => el.getBoundingClientRect().height)) < 1.5 * header.topic.lineHeight,
      'one line again');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('at 1280 px a long topic gives way to a usable search box', async () => {
    const room = await newRoom('desktop-topic');
    const topic = `Release 2.0: ${'freeze on Friday, release notes by Thursday, nobody touches the build pipeline; '.repeat(3)}`
      .slice(0, 200);
    await room.setTopic(topic);
    const { page, errors, context } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    await enter(page, room, 'Alex');
    await eventually(() => page.locator('#topic').textContent(), (text) => text === topic, 'the topic');
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-long-topic.png') });
    const header = await page.evaluate(() => {
      const box = (el) => {
        const { left, right } = el.getBoundingClientRect();
        return { id: el.id || el.className, left, right, scroll: el.scrollWidth, client: el.clientWidth };
      };
      const bar = document.querySelector('.topbar');
      return {
        page: document.documentElement.scrollWidth,
        bar: box(bar),
        search: document.getElementById('search-input').getBoundingClientRect().width,
        topic: box(document.getElementById('topic')),
        parts: [...bar.children].filter((el) => el.checkVisibility()).map(box),
      };
    });
    const what = JSON.stringify(header);
    assert.ok(header.search >= 150, `the search box is ${header.search}px wide; ${what}`);
    assert.ok(header.topic.client >= 200 && header.topic.scroll > header.topic.client, `the topic is shown, cut; ${what}`);
    assert.ok(header.page <= 1280 && header.bar.scroll <= header.bar.client, `nothing overflows; ${what}`);
    for (const part of header.parts) {
      assert.ok(part.left >= header.bar.left && part.right <= header.bar.right, `${part.id} fits the header; ${what}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('at 280 px (a folded phone) nothing scrolls sideways and the message box has a row of its own', async () => {
    const { page, errors, context } = await newPage(browser, {
      viewport: { width: 280, height: 653 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
    });
    const room = await newRoom('fold');
    await room.post('builder', 'does it fit at 280 px?');
    await enter(page, room, 'Sam');
    await page.locator('#log .msg', { hasText: 'at 280 px' }).waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 280, 'no sideways scroll');
    for (const control of [page.getByRole('textbox', { name: 'name' }), page.getByRole('button', { name: 'Send' })]) {
      const box = await control.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 280, 'it fits');
    }
    const message = await page.getByRole('textbox', { name: 'Message' }).boundingBox();
    assert.ok(message.width >= 240, `the message box is ${message.width}px wide`);
    await page.screenshot({ path: join(ARTIFACTS, 'phone-280.png') });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('on a phone the people list and the export menu close with Escape or a tap elsewhere', async () => {
    const { page, errors, context } = await newPage(browser, {
      viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
    });
    const room = await newRoom('popups');
    await enter(page, room, 'Pat');
    const toggle = page.getByRole('button', { name: /online/ });
    const people = page.getByRole('complementary');
    await toggle.tap();
    await people.waitFor();
    await page.keyboard.press('Escape');
    await people.waitFor({ state: 'hidden' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.tap();
    await people.waitFor();
    await page.locator('#log').tap({ position: { x: 40, y: 200 } });
    await people.waitFor({ state: 'hidden' });

    const menu = page.locator('#export');
    const html = page.getByRole('button', { name: 'Web page (.html)' });
    await menu.locator('summary').tap();
    await html.waitFor();
    await page.keyboard.press('Escape');
    await html.waitFor({ state: 'hidden' });
    await menu.locator('summary').tap();
    await html.waitFor();
    await page.locator('#log').tap({ position: { x: 40, y: 200 } });
    await html.waitFor({ state: 'hidden' });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('on a touch screen Ack and ↩ answer a finger anywhere in 40 by 40 px and contrast 3:1 with the page, light and dark', async () => {
    const room = await newRoom('touch-targets');
    for (const text of ['the first message', 'a message to answer', 'the last message']) {
      await room.post('builder', text);
    }
    const { page, errors, context } = await newPage(browser, PHONE);
    await enter(page, room, 'Tess');
    const message = page.locator('#log .msg', { hasText: 'a message to answer' });
    await page.locator('#log .msg', { hasText: 'the last message' }).waitFor();
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      for (const button of [message.locator('.ack-button'), message.locator('.reply-button')]) {
        const probe = await button.evaluate((el) => {
          const box = el.getBoundingClientRect();
          const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
          const missed = [];
          for (const dx of [-19, -10, 0, 10, 19]) {
            for (const dy of [-19, -10, 0, 10, 19]) {
              if (!el.contains(document.elementFromPoint(x + dx, y + dy))) {
                missed.push([dx, dy]);
              }
            }
          }
          // the text's colour as drawn (its alpha times every opacity above it) over the first background behind it
          const rgba = (colour) => {
            const [r, g, b, a = 1] = colour.match(/[\d.]+/g).map(Number);
            return { r, g, b, a };
          };
          let alpha = rgba(getComputedStyle(el).color).a;
          let behind = null;
          for (let node = el; node instanceof Element; node = node.parentElement) {
            alpha *= Number(getComputedStyle(node).opacity);
            const background = rgba(getComputedStyle(node).backgroundColor);
            if (!behind && background.a > 0) {
              behind = background;
            }
          }
          const text = rgba(getComputedStyle(el).color);
          const drawn = ['r', 'g', 'b'].map((c) => text[c] * alpha + behind[c] * (1 - alpha));
          const luminance = (rgb) => rgb.map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
            .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
          const [light, dark] = [luminance(drawn), luminance([behind.r, behind.g, behind.b])].sort((a, b) => b - a);
          return { missed, contrast: (light + 0.05) / (dark + 0.05), size: [box.width, box.height] };
        });
        const what = `${await button.getAttribute('class')} (${colorScheme}): ${JSON.stringify(probe)}`;
        assert.deepEqual(probe.missed, [], `taps that miss it: ${what}`);
        assert.ok(probe.contrast >= 3, `contrast: ${what}`);
      }
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a message in a right-to-left script reads right to left', async () => {
    const room = await newRoom('rtl');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Dana');
    await room.post('noa', '(1) שלום עולם.');
    await room.post('sam', 'left to right');
    const hebrew = page.locator('#log .msg', { hasText: 'שלום' }).locator('p');
    await hebrew.waitFor();
    assert.equal(await hebrew.evaluate((p) => getComputedStyle(p).direction), 'rtl');
    const latin = page.locator('#log .msg', { hasText: 'left to right' }).locator('p');
    await latin.waitFor();
    assert.equal(await latin.evaluate((p) => getComputedStyle(p).direction), 'ltr');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('at 360 px wide nothing scrolls sideways; phone screenshot', async () => {
    const { page, errors, context } = await newPage(browser, {
      viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
    });
    const room = await newRoom('phone');
    await enter(page, room, 'Sam');
    const { reply } = await sampleConversation(room);
    await room.post('builder', '@Sam does it read well at 360 px?', { reply_to: reply.id });
    await page.locator('#log .msg', { hasText: 'at 360 px' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'phone.png') });

    await room.post('reviewer', `A very long word: ${'x'.repeat(300)} and a long link `
      + `https://example.org/${'path/'.repeat(40)}\n\`\`\`\n${'const veryLongLine = 1; '.repeat(12)}\n\`\`\``);
    await page.locator('#log .msg', { hasText: 'A very long word' }).waitFor();
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      log: document.getElementById('log').scrollWidth,
      logClient: document.getElementById('log').clientWidth,
    }));
    assert.ok(widths.page <= 360, `page is ${widths.page}px wide`);
    assert.ok(widths.log <= widths.logClient, `log content is ${widths.log}px in ${widths.logClient}px`);
    for (const name of ['name', 'Message']) {
      const box = await page.getByRole('textbox', { name }).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${name} field fits`);
    }
    // the message box shares its row with Send alone: its placeholder is read whole
    const box = await page.getByRole('textbox', { name: 'Message' }).evaluate((el) => ({
      width: el.getBoundingClientRect().width, scroll: el.scrollHeight, client: el.clientHeight,
    }));
    assert.ok(box.width >= 240 && box.scroll <= box.client, `the message box is ${JSON.stringify(box)}`);
    const ask = await page.getByRole('checkbox', { name: 'Ask for ack' }).boundingBox();
    const name = await page.getByRole('textbox', { name: 'name' }).boundingBox();
    assert.ok(Math.abs((ask.y + ask.height / 2) - (name.y + name.height / 2)) < name.height / 2,
      'Ask for ack sits on the name\'s row');
    const send = await page.getByRole('button', { name: 'Send' }).boundingBox();
    assert.ok(send.x + send.width <= 360, 'Send button fits');
    await page.getByRole('button', { name: /online/ }).click();
    await page.getByRole('complementary').waitFor();
    const people = await page.getByRole('complementary').boundingBox();
    assert.ok(people.x >= 0 && people.x + people.width <= 360, 'people list fits');
    await page.screenshot({ path: join(ARTIFACTS, 'phone-people.png') });
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('Swagger UI', () => {
  test('on a phone it is laid out at the phone\'s width and lists the API\'s operations', async () => {
    const { page, errors, context } = await newPage(browser, {
      viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
    });
    await page.goto(new URL('/swagger-ui/index.html', process.env.AGENT_CHAT_URL).href);
    await page.locator('.opblock', { hasText: '/messages/poll' }).first().waitFor();
    const layout = await page.evaluate(() => ({ width: window.innerWidth, scroll: document.documentElement.scrollWidth }));
    assert.deepEqual(layout, { width: 360, scroll: 360 }, 'no desktop page shrunk to fit');
    await page.screenshot({ path: join(ARTIFACTS, 'swagger-phone.png') });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('it follows the system\'s light or dark setting, as the web UI does, with nothing from elsewhere', async () => {
    const server = new URL(process.env.AGENT_CHAT_URL).origin;
    const { page, errors, context } = await newPage(browser, { colorScheme: 'light' });
    const elsewhere = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(`${server}/`) && !request.url().startsWith('data:')) {
        elsewhere.push(request.url());
      }
    });
    await page.goto(`${server}/swagger-ui/index.html`);
    await page.locator('.opblock', { hasText: '/messages/poll' }).first().waitFor();
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      const { lightness } = await pixels(page, await page.screenshot({ path: join(ARTIFACTS, `swagger-${scheme}.png`) }));
      assert.ok(scheme === 'dark' ? lightness < 80 : lightness > 180, `${scheme}: average lightness ${lightness}`);
    }
    assert.deepEqual(elsewhere, [], 'every asset is served by the server itself');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

/**
 * Sends `text` from the page's composer (Enter) and waits until the room has it under `name`, verified.
 * @param {import('playwright-core').Page} page
 * @param {Room} room
 * @param {string} name
 * @param {string} text
 */
async function sendVerified(page, room, name, text) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await eventually(async () => (await room.messages()).find((m) => m.text === text), (m) => m?.agent === name && m.verified,
    `"${text}" posted under ${name}, verified`);
}
