// The host's moderation in a real browser: what a kicked or muted person sees, and the host's people list.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, HOST_KEY, Room, enter, eventually, explained, launch, marker, newPage, newRoom } from './harness.js';

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** The stream and polls that follow the room: none may be asked for once the page has given up. */
const FOLLOWING = /\/messages\/(stream|poll)\?/;

/**
 * Keeps every state the page's status line shows, in order, as `window.statusStates` (each change once,
 * also several made before the observer is told: each record's old value is the state before it).
 * @param {import('playwright-core').Page} page
 */
async function recordStates(page) {
  await page.addInitScript(() => document.addEventListener('readystatechange', () => {
    if (document.readyState !== 'interactive') {
      return;
    }
    const status = document.getElementById('status');
    const states = [status.dataset.state];
    window.statusStates = states;
    new MutationObserver((records) => {
      records.forEach((record, i) => {
        const state = i + 1 < records.length ? records[i + 1].oldValue : status.dataset.state;
        if (states.at(-1) !== state) {
          states.push(state);
        }
      });
    }).observe(status, { attributes: true, attributeFilter: ['data-state'], attributeOldValue: true });
  }));
}

describe('moderation', () => {
  test('a person the host kicks is told so at once, without "Reconnecting…" first, and the page stops reconnecting, also after a reload', async () => {
    const room = await newRoom('kicked');
    const { page, errors, context } = await newPage(browser);
    await recordStates(page);
    await enter(page, room, 'Ann');
    const box = page.getByRole('textbox', { name: 'Message' });
    // the first message holds the name, and the page follows as its holder from then on, with a new stream
    const holderStream = page.waitForResponse((response) => /\/messages\/stream\?/.test(response.url()));
    await box.fill(marker('hello'));
    await box.press('Enter');
    await page.locator('#log .msg.mine').waitFor();
    await holderStream;
    const statesBefore = await page.evaluate(() => window.statusStates.length);

    const { blocked_until: until } = await room.moderate('kick', 'Ann');
    const time = await shortTime(page, until);
    const notice = page.getByRole('alert').filter({ hasText: /host removed you \(Ann\) from this room/ });
    for (const visit of ['kicked', 'reloaded']) {
      await explained(page, () => notice.waitFor({ timeout: 15000 }));
      assert.ok((await notice.textContent()).endsWith(`the name is blocked until ${time}.`),
        `${visit}: says until when the name is blocked (${time}): ${await notice.textContent()}`);
      const status = page.locator('#status');
      assert.equal(await status.getAttribute('data-state'), 'removed', `${visit}: not reconnecting`);
      assert.equal(await status.textContent(), 'Removed');
      if (visit === 'kicked') {
        // the stream said why it ended (its end event): removed at once, never "Reconnecting…" in between
        assert.deepEqual(await page.evaluate((n) => window.statusStates.slice(n), statesBefore), ['removed'],
          'the status after the kick');
      }
      assert.equal(await box.isVisible(), false, `${visit}: no composer`);
      // the first retries would come within 0.5 s, 1 s and 2 s: none comes
      const retry = await page.waitForRequest((request) => FOLLOWING.test(request.url()), { timeout: 3500 })
        .then((request) => request.url(), () => null);
      assert.equal(retry, null, `${visit}: the page asked again for ${retry}`);
      if (visit === 'kicked') {
        await page.reload();
      }
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the host and a guest see a kicked name greyed as removed until when, and no longer online', async () => {
    const room = await newRoom('kicked-listed');
    const stream = new AbortController();
    await room.post('spammer', marker('buy now'));
    assert.equal((await room.stream('spammer', stream.signal)).status, 200);
    const { host, guest } = await hostAndGuest(room);
    for (const { page } of [host, guest]) {
      await page.locator('#people-list .person.online', { hasText: 'spammer' }).waitFor();
    }

    let asked = '';
    host.page.once('dialog', (dialog) => { asked = dialog.message(); dialog.accept(); });
    await host.page.getByRole('button', { name: 'Kick spammer' }).click();
    await eventually(() => asked, (text) => text.startsWith('Kick spammer?'), 'the host is asked first');
    // the kick goes out once the host said yes: GET agents may come before it
    const listed = await eventually(async () => (await room.call('GET', 'agents')).agents.find((agent) => agent.name === 'spammer'),
      (agent) => Boolean(agent?.blocked_until), 'GET agents to say until when');
    // the guest's list is refreshed when a message comes
    await room.post('alice', marker('after the kick'));
    const time = await shortTime(host.page, listed.blocked_until);
    for (const [view, { page }] of [['host', host], ['guest', guest]]) {
      const row = page.locator('#people-list .person', { hasText: 'spammer' });
      await explained(page, () => row.locator('.blocked-until').waitFor({ timeout: 15000 }));
      assert.equal(await row.locator('.blocked-until').textContent(), `removed until ${time}`, view);
      const shown = await row.evaluate((item) => ({
        classes: item.className,
        name: { scroll: item.querySelector('.agent').scrollWidth, client: item.querySelector('.agent').clientWidth },
        colour: getComputedStyle(item.querySelector('.agent')).color,
        grey: getComputedStyle(item.querySelector('.blocked-until')).color,
        line: getComputedStyle(item.querySelector('.agent')).textDecorationLine,
      }));
      assert.ok(shown.name.scroll <= shown.name.client, `${view}: the name is shown whole: ${JSON.stringify(shown)}`);
      assert.ok(shown.classes.includes('blocked') && !shown.classes.includes('online'), `${view}: ${JSON.stringify(shown)}`);
      // greyed in the muted colour (not faded: it still reads 4.5:1), and struck through
      assert.ok(shown.colour === shown.grey && shown.line === 'line-through', `${view}: greyed and struck through: ${JSON.stringify(shown)}`);
      assert.match(await row.locator('.visually-hidden').textContent(), /removed by the host/, view);
      assert.equal(await page.locator('#online-count').textContent(),
        String(await page.locator('#people-list .person.online').count()), `${view}: not counted online`);
    }
    await host.page.locator('#people').screenshot({ path: join(ARTIFACTS, 'host-people-kicked.png') });
    stream.abort();
    for (const { errors, context } of [host, guest]) {
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  test('a muted person who posts is told the host muted them, and keeps the text', async () => {
    const room = await newRoom('muted');
    const { page, errors, context } = await newPage(browser);
    await enter(page, room, 'Bo');
    await room.moderate('mute', 'Bo');
    const box = page.getByRole('textbox', { name: 'Message' });
    const text = marker('unheard');
    await box.fill(text);
    await box.press('Enter');
    await page.getByRole('alert').filter({ hasText: /host muted/i }).waitFor();
    assert.equal(await box.inputValue(), text, 'text kept');
    assert.equal(await page.locator('#status').getAttribute('data-state'), 'connected', 'still reading');
    assert.equal((await room.messages()).some((m) => m.text === text), false);
    // everyone sees the name muted in the people list (read again as messages come), and no longer once unmuted
    await room.post('lead', marker('meanwhile'));
    const bo = page.locator('#people-list .person', { hasText: 'Bo' });
    await eventually(() => bo.getByLabel('muted by the host').count(), (n) => n === 1, 'muted marker');
    await room.moderate('unmute', 'Bo');
    // the unmute takes the mute's refusal away at once, before anything is sent again
    await eventually(() => page.locator('#composer-error').textContent(), (t) => t === '', 'the refusal gone once unmuted');
    await box.press('Enter');
    await eventually(() => room.messages().then((all) => all.some((m) => m.text === text)), (sent) => sent, 'sent once unmuted');
    await room.post('lead', marker('meanwhile'));
    await eventually(() => bo.getByLabel('muted by the host').count(), (n) => n === 0, 'marker gone');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('everyone sees a mute and an unmute the moment the host makes them, and the muted reader is told', async () => {
    const room = await newRoom('hushed');
    const guest = await newPage(browser);
    const muted = await newPage(browser);
    await enter(guest.page, room, 'Ann');
    await enter(muted.page, room, 'Bo');
    const bo = guest.page.locator('#people-list .person', { hasText: 'Bo' });
    await bo.waitFor();
    // nothing is posted meanwhile: only the stream's moderation event can bring the change
    await room.moderate('mute', 'Bo');
    await eventually(() => bo.getByLabel('muted by the host').count(), (n) => n === 1, 'muted marker');
    await muted.page.locator('#log .notice', { hasText: 'The host muted you' }).waitFor();
    const send = muted.page.getByRole('button', { name: 'Send' });
    assert.equal(await send.isDisabled(), true, 'a muted person learns it before writing');
    assert.match(await muted.page.getByRole('textbox', { name: 'Message' }).getAttribute('placeholder'), /muted you/);
    await room.moderate('unmute', 'Bo');
    await eventually(() => bo.getByLabel('muted by the host').count(), (n) => n === 0, 'marker gone');
    await muted.page.locator('#log .notice', { hasText: 'The host unmuted you' }).waitFor();
    assert.equal(await send.isDisabled(), false, 'Send is back');
    assert.deepEqual([...guest.errors, ...muted.errors], []);
    await guest.context.close();
    await muted.context.close();
  });

  test('in the host view at 1280 px every name stays on one line beside its Mute and Kick buttons', async () => {
    const room = await newRoom('host-names');
    const names = ['Ann', 'reviewer-bot-with-a-long-name', 'integration-tester-7'];
    for (const name of names) {
      await room.post(name, marker('hello'));
    }
    await room.call('POST', 'join', { agent: names[1], kind: 'agent' });
    const stream = new AbortController();
    assert.equal((await room.stream(names[2], stream.signal)).status, 200);
    await room.moderate('mute', names[1]);
    const { page, errors, context } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    await enter(page, new Room(room.url, HOST_KEY));
    for (const name of names) {
      await page.getByRole('button', { name: `Kick ${name}` }).waitFor();
    }
    await page.getByRole('button', { name: `Unmute ${names[1]}` }).waitFor();
    await eventually(() => page.locator('#people-list .waiting').count(), (n) => n === 1, 'the listener waiting');
    await page.locator('#people').screenshot({ path: join(ARTIFACTS, 'host-people.png') });

    // read in one go: the list may be drawn again between finding its rows and reading them
    const rows = await page.evaluate(() => [...document.querySelectorAll('#people-list .person')].map((item) => {
      const name = item.querySelector('.agent');
      const box = (el) => el.getBoundingClientRect();
      const list = box(item.parentElement);
      return {
        text: name.textContent,
        title: name.title,
        lineHeight: parseFloat(getComputedStyle(name).lineHeight),
        name: { ...box(name).toJSON(), scroll: name.scrollWidth, client: name.clientWidth },
        ellipsis: getComputedStyle(name).textOverflow,
        list: { left: list.left, right: list.right },
        buttons: [...item.querySelectorAll('button')].map((button) => ({
          ...box(button).toJSON(), text: button.textContent, scroll: button.scrollWidth, client: button.clientWidth,
        })),
      };
    }));
    assert.equal(rows.length, names.length, JSON.stringify(rows));
    for (const row of rows) {
      const what = `${row.text}: ${JSON.stringify(row)}`;
      assert.ok(row.name.height < 1.5 * row.lineHeight, `one line of name; ${what}`);
      assert.ok(row.name.client >= Math.min(row.name.scroll, 80), `the name is not squeezed; ${what}`);
      assert.ok(row.name.scroll <= row.name.client || row.ellipsis === 'ellipsis', `a cut name ends in …; ${what}`);
      assert.ok(row.title.includes(row.text), `the full name in the tooltip; ${what}`);
      assert.equal(row.buttons.length, 2, what);
      for (const button of row.buttons) {
        assert.ok(button.scroll <= button.client, `${button.text} readable; ${what}`);
        assert.ok(button.left >= row.list.left && button.right <= row.list.right, `${button.text} in the panel; ${what}`);
        const beside = button.top >= row.name.bottom || button.left >= row.name.right;
        assert.ok(beside, `${button.text} does not cover the name; ${what}`);
      }
    }
    stream.abort();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('from the top of the page a skip link leads the keyboard to the people and the host\'s tools, past every message', async () => {
    const room = await newRoom('skip-host');
    for (let i = 0; i < 30; i++) {
      await room.post('bot', marker(`chatter ${i}`));
    }
    const { page, errors, context } = await newPage(browser);
    await enter(page, new Room(room.url, HOST_KEY));
    await page.getByRole('button', { name: 'Kick bot' }).waitFor();
    const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('aria-label'));
    // the first skip link is the page's first stop; the next Tab is the second
    await page.locator('#skip-to-message').focus();
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'skip-to-people');
    await page.keyboard.press('Enter');
    assert.equal(await focused(), 'people');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.getElementById('people').contains(document.activeElement)), true,
      'the next Tab is among the people and the host\'s tools');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a host whose page polls (no stream gets through) sees the topic it sets at once', async () => {
    const room = await newRoom('host-topic-polled');
    const host = await newPage(browser);
    await host.page.route('**/messages/stream**', (route) => route.abort());
    await enter(host.page, new Room(room.url, HOST_KEY));
    await host.page.locator('#status[data-state="connected"][data-transport="poll"]').waitFor({ timeout: 20000 });

    const topic = marker('Polled topic');
    await host.page.getByRole('textbox', { name: 'Topic' }).fill(topic);
    await host.page.getByRole('button', { name: 'Set topic' }).click();
    // from the answer to its own request: the polls carry no topic, and the next refresh is 30 s away
    await host.page.locator('#topic', { hasText: topic }).waitFor({ timeout: 3000 });
    assert.deepEqual(host.errors, []);
    await host.context.close();
  });

  test('the host sets and clears the topic from the page, and everyone following sees it', async () => {
    const room = await newRoom('host-topic');
    const { host, guest } = await hostAndGuest(room);
    assert.equal(await guest.page.locator('#topic-form').isVisible(), false, 'setting the topic needs the host key');

    const topic = marker('Review the parser');
    const box = host.page.getByRole('textbox', { name: 'Topic' });
    await box.fill(topic);
    await host.page.getByRole('button', { name: 'Set topic' }).click();
    await host.page.locator('#topic-result', { hasText: 'Topic set.' }).waitFor();
    for (const { page } of [host, guest]) {
      await page.locator('#topic', { hasText: topic }).waitFor();
    }
    assert.equal((await room.call('GET', 'room')).topic, topic);

    await box.fill('');
    await host.page.getByRole('button', { name: 'Set topic' }).click();
    await host.page.locator('#topic-result', { hasText: 'Topic cleared.' }).waitFor();
    await guest.page.locator('#topic').waitFor({ state: 'hidden' });
    assert.equal((await room.call('GET', 'room')).topic ?? null, null);

    await box.fill('x'.repeat(500));
    await box.evaluate((input) => { input.removeAttribute('maxlength'); input.value += 'y'; });
    await host.page.getByRole('button', { name: 'Set topic' }).click();
    await host.page.locator('#topic-result', { hasText: /500/ }).waitFor();
    for (const { errors, context } of [host, guest]) {
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  test('a host whose request gets no answer is told what did not happen', async () => {
    const room = await newRoom('host-unanswered');
    const host = await newPage(browser);
    await enter(host.page, new Room(room.url, HOST_KEY));
    await host.page.route('**/room/topic', (route) => route.abort());
    await host.page.getByRole('textbox', { name: 'Topic' }).fill(marker('Unsent topic'));
    await host.page.getByRole('button', { name: 'Set topic' }).click();
    await host.page.locator('#topic-result', { hasText: 'Topic not set: the server cannot be reached.' }).waitFor();
    await host.page.getByRole('textbox', { name: 'Topic' }).fill('');
    await host.page.getByRole('button', { name: 'Set topic' }).click();
    await host.page.locator('#topic-result', { hasText: 'Topic not cleared: the server cannot be reached.' }).waitFor();
    assert.equal((await room.call('GET', 'room')).topic ?? null, null, 'nothing reached the room');
    assert.deepEqual(host.errors, []);
    await host.context.close();
  });

  test('the host\'s room list never goes back to an older answer', async () => {
    const room = await newRoom('host-lists');
    const host = await newPage(browser);
    // the page's first list is answered as the server was when it asked, but only after a newer one
    let letThrough;
    const gate = new Promise((resolve) => { letThrough = resolve; });
    let held = 0;
    await host.page.route('**/rooms', async (route) => {
      if (route.request().method() !== 'GET' || held > 0) {
        return route.continue();
      }
      held += 1;
      const answer = await route.fetch();
      await gate;
      return route.fulfill({ response: answer });
    });
    await enter(host.page, new Room(room.url, HOST_KEY));
    await eventually(async () => held, (n) => n === 1, 'the first list asked for');

    const name = marker('made-meanwhile');
    const form = host.page.locator('#host-tools');
    await form.getByRole('textbox', { name: 'New room\'s name' }).fill(name);
    await form.getByLabel('New room\'s password').fill('pw');
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    const listed = host.page.locator('#rooms-list').getByRole('link', { name, exact: true });
    await listed.waitFor();
    letThrough();
    await host.page.locator('#rooms-list[aria-busy="false"]').waitFor();
    assert.equal(await listed.count(), 1, 'the room made meanwhile stays listed');
    assert.deepEqual(host.errors, []);
    await host.context.close();
  });

  test('the host creates a named room from the page, a link opens it, and a guest has no such form', async () => {
    const room = await newRoom('host-creates');
    // the host's page as index.html: the new room still goes beside this server's rooms
    const { host, guest } = await hostAndGuest(room, 'index.html');
    assert.equal(await guest.page.locator('#host-tools').isVisible(), false, 'creating rooms needs the host key');

    const name = marker('made-here');
    const form = host.page.locator('#host-tools');
    // names are case-insensitive: typed in capitals, the room is named (and linked) in lower case
    await form.getByRole('textbox', { name: 'New room\'s name' }).fill(name.toUpperCase());
    await form.getByLabel('New room\'s password').fill('clé-secrète');
    await form.getByLabel('New room\'s observer password (optional)').fill('regardé');
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    const open = form.getByRole('link', { name: `Open ${name}` });
    await open.waitFor();
    const created = new Room(new URL(`../${name}/`, room.url).href, 'clé-secrète');
    assert.match(await form.locator('#new-room-result').textContent(),
      new RegExp(`^Created ${name}\\. Open ${name}Invite others with ${created.url.replace(/[.?]/g, '\\$&')} and its password\\.$`));

    // the room takes its password, and its observer password reads without posting
    await created.post('alice', marker('inside'));
    assert.equal((await new Room(created.url, 'regardé').call('GET', 'messages')).messages.length, 1);
    await assert.rejects(new Room(created.url, 'regardé').post('guest', 'may I?'), /answered 403/);
    const visitor = await newPage(browser);
    await visitor.page.goto(await open.getAttribute('href'));
    await visitor.page.locator('#log .msg', { hasText: 'inside' }).waitFor();
    await visitor.page.locator('#host-tools').waitFor(); // opened as the host, as from the Rooms list

    // the same name again with another password leaves the room as it is, and says so
    await form.getByRole('textbox', { name: 'New room\'s name' }).fill(name);
    await form.getByLabel('New room\'s password').fill('another');
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    await form.getByText(`A room ${name} exists already, with another password.`).waitFor();
    for (const { errors, context } of [host, guest, visitor]) {
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  test('the host sees the named rooms, ends one, and the people in it are told it is gone', async () => {
    const room = await newRoom('host-lists');
    const doomed = await newRoom('host-ends');
    const name = new URL(doomed.url).pathname.split('/').at(-2);
    const said = marker('before the end');
    await doomed.post('alice', said);
    const visitor = await newPage(browser);
    await enter(visitor.page, doomed, 'Vi');
    await visitor.page.locator('#log .msg', { hasText: said }).waitFor();
    const box = visitor.page.getByRole('textbox', { name: 'Message' });
    await box.fill(marker('Vi is here'));
    await box.press('Enter'); // the page then holds its name and follows with it: Vi shows online
    const online = visitor.page.locator('#people-list .person.online');
    await online.first().waitFor();
    const { host, guest } = await hostAndGuest(room);
    assert.equal(await guest.page.locator('#rooms-list').isVisible(), false, 'the rooms are the host\'s to see');

    const tools = host.page.locator('#host-tools');
    const link = host.page.getByRole('link', { name, exact: true });
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), `${doomed.url}#password=${encodeURIComponent(HOST_KEY)}`);
    const listed = tools.locator('#rooms-list li', { has: link });
    assert.match(await listed.textContent(), /until /);

    let asked = '';
    host.page.once('dialog', (dialog) => { asked = dialog.message(); dialog.accept(); });
    await listed.getByRole('button', { name: `End ${name}` }).click();
    await tools.locator('#rooms-result', { hasText: `Ended ${name}.` }).waitFor();
    assert.match(asked, new RegExp(`End the room ${name}\\?`));
    await link.waitFor({ state: 'detached' });
    await assert.rejects(doomed.call('GET', 'messages'), /answered 404/);
    await visitor.page.getByText('This room no longer exists.').waitFor();
    assert.equal(await visitor.page.locator('#composer').isVisible(), false);
    assert.equal(await online.count(), 0, 'nobody shows online in a room that is gone');
    for (const { errors, context } of [host, guest, visitor]) {
      assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
      await context.close();
    }
  });

  test('the host\'s room list follows rooms made and ended elsewhere', async () => {
    const room = await newRoom('host-watches');
    const host = await newPage(browser);
    // once the document is parsed, before the page's module scripts run
    await host.page.addInitScript(() => document.addEventListener('readystatechange', () => {
      if (document.readyState === 'interactive') {
        document.documentElement.dataset.peopleRefreshMs = '300';
      }
    }));
    await enter(host.page, new Room(room.url, HOST_KEY));
    const made = await newRoom('made-elsewhere');
    const name = new URL(made.url).pathname.split('/').at(-2);
    const link = host.page.getByRole('link', { name, exact: true });
    await link.waitFor();
    const ended = await fetch(`${made.url}room`, { method: 'DELETE', headers: { Authorization: `Bearer ${HOST_KEY}` } });
    assert.equal(ended.status, 204);
    await link.waitFor({ state: 'detached' });
    assert.deepEqual(host.errors, []);
    await host.context.close();
  });
});

/**
 * The room opened twice: by the host (logged in with the host key) and by a guest named Gil.
 * @param {Room} room
 * @param {string} [hostPage] the page the host opens, under the room's address (its `/` by default)
 */
async function hostAndGuest(room, hostPage = '') {
  const host = await newPage(browser);
  const guest = await newPage(browser);
  await enter(host.page, new Room(`${room.url}${hostPage}`, HOST_KEY));
  await enter(guest.page, room, 'Gil');
  return { host, guest };
}

/**
 * A time as the page shows it in short (its own clock and locale): `14:05`, or with the day when not today.
 * @param {import('playwright-core').Page} page
 * @param {string} timestamp
 * @returns {Promise<string>}
 */
function shortTime(page, timestamp) {
  return page.evaluate((ts) => {
    const date = new Date(ts);
    const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(date);
    return date.toDateString() === new Date().toDateString()
      ? time : `${new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' }).format(date)} ${time}`;
  }, timestamp);
}
