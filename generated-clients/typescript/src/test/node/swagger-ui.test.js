// Swagger UI in a real browser (Debian chromium through playwright-core), served by a live
// agent-chat server: it loads with no request leaving the machine, and "Authorize" with the
// room password lets "Try it out" list the messages and post one as offered. Run by TypeScriptClientTest.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { chromium } = require('playwright-core');

const url = process.env.AGENT_CHAT_URL;
const password = process.env.AGENT_CHAT_PASSWORD;

test('Swagger UI loads offline and Authorize with X-Room-Password makes Try it out list and send', async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    const external = [];
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith(url)) return route.continue();
      external.push(route.request().url());
      return route.abort();
    });
    const sentPasswords = [];
    page.on('request', (request) => {
      const target = new URL(request.url());
      if (target.pathname === '/messages') {
        sentPasswords.push(request.headers()['x-room-password']);
        assert.equal(target.searchParams.get('password'), null, 'the password stays out of the URL');
      }
    });

    await page.goto(`${url}/swagger-ui/index.html`);
    await page.locator('.opblock-tag', { hasText: 'messages' }).first().waitFor({ timeout: 15000 });

    await page.locator('button.authorize').first().click();
    const roomPassword = page.locator('.auth-container', { hasText: 'X-Room-Password' });
    await roomPassword.locator('input').fill(password);
    await roomPassword.locator('button.authorize').click();
    await page.locator('.btn-done').first().click();

    const listed = await tryItOut(page, 'listMessages');
    assert.equal(listed.status, '200');
    assert.ok(listed.body.includes('"messages"'));
    // sending as it is offered: the example body posts (one made from the schema answered message 0)
    const sent = await tryItOut(page, 'sendMessage');
    assert.equal(sent.status, '200', sent.body);

    assert.deepEqual(sentPasswords, [password, password], 'the password went as the X-Room-Password header');
    assert.deepEqual(external, [], 'nothing was fetched from outside the server');
  } finally {
    await browser.close();
  }
});

/** Opens a messages operation, runs "Try it out" as offered, and answers its status and response text. */
async function tryItOut(page, operationId) {
  const operation = page.locator(`#operations-messages-${operationId}`);
  await operation.locator('.opblock-summary').click();
  await operation.locator('.try-out__btn').click();
  await operation.locator('.execute').click();
  const status = operation.locator('.live-responses-table tr.response .response-col_status').first();
  await status.waitFor({ timeout: 10000 });
  return {
    status: (await status.textContent()).trim(),
    body: await operation.locator('.live-responses-table').textContent(),
  };
}
