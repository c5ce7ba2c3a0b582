// Browser test: a party representative signs in through the login form, opens the demo item
// that is in discussion from their desk, logs their party's position through the item page's
// form, and sees it on the item page. Headless Debian chromium driven by playwright-core.
//
// Run by tests/e2e/run.sh (ctest e2e_login_position), which starts the server and sets:
//   LIUFANG_URL       base URL of a running `liufang serve` on a fresh `init --demo` database
//   LIUFANG_E2E_OUT   folder for the screenshots (created if missing)
//   CHROMIUM          browser binary (default /usr/bin/chromium)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.LIUFANG_URL;
const OUT = process.env.LIUFANG_E2E_OUT || path.resolve('e2e-out');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// A demo party representative whose party has not yet logged a position on the parking item,
// so the test sees the position appear rather than an old one remain.
const USER = 'gongyi';
const PARTY = 'gongyi';
const PASSWORD = 'taoyuanju-2026';
const ITEM_TITLE = '地下车库车位不足、外来车辆占位';
const REASON = `浏览器测试 e2e-${Date.now()}：建议在晚高峰安排志愿者引导外来车辆。`;

let browser;

before(async () => {
  assert.ok(BASE, 'LIUFANG_URL is not set: run this through tests/e2e/run.sh');
  assert.ok(existsSync(CHROMIUM), `chromium not found at ${CHROMIUM} (scripts/test installs it)`);
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
});

test('a party representative logs a position and sees it on the item page', async () => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();

  // Anything the page itself complains about: script errors, CSP violations, failed loads.
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    problems.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) =>
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (resp) => {
    if (resp.status() >= 400)
      problems.push(`HTTP ${resp.status()}: ${resp.url()}`);
  });

  // ---- the login page, with its security headers
  const loginResp = await page.goto(`${BASE}/login`);
  assert.equal(loginResp.status(), 200);
  const headers = loginResp.headers();
  const csp = headers['content-security-policy'];
  assert.ok(csp, 'the login page has no Content-Security-Policy header');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline/, 'the CSP allows inline script or style');
  assert.equal(headers['x-content-type-options'], 'nosniff');

  await page.fill('#username', USER);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(/\/desk$/), page.click('#login-submit')]);

  // ---- the desk lists the item under "waiting for our position"; open it from there
  const waiting = page.locator('#desk-positions');
  await waiting.waitFor();
  const link = waiting.locator('a.item-link', { hasText: ITEM_TITLE });
  assert.equal(await link.count(), 1, `"${ITEM_TITLE}" is not on ${USER}'s desk`);
  await Promise.all([page.waitForURL(/\/items\/\d+$/), link.click()]);

  const article = page.locator('#item');
  assert.equal(await page.locator('#item-title').textContent(), ITEM_TITLE);
  assert.equal(await article.getAttribute('data-state'), 'discussion');
  const row = page.locator(`#position-${PARTY}`);
  assert.equal(await row.locator('.none').count(), 1, 'the party already had a position');
  const itemUrl = page.url();

  // ---- log the position through the form
  const form = page.locator('#ev-log_position');
  await form.waitFor();
  await form.locator('select[name="stance"]').selectOption('supplement');
  await form.locator('textarea[name="reason"]').fill(REASON);
  // The form posts, the server answers 303 to the item page with ?done=log_position.
  await Promise.all([
    page.waitForURL((u) => u.href.startsWith(itemUrl) && u.searchParams.get('done') === 'log_position'),
    page.click('#ev-log_position-submit'),
  ]);

  // ---- the item page now shows the party's position with the reason, and the timeline has it
  assert.equal(await row.locator('.reason').textContent(), REASON);
  assert.match(await row.locator('.stance').getAttribute('class'), /stance-supplement/);
  assert.equal(await row.locator('.none').count(), 0);
  const logged = page.locator('#timeline li.ev-log_position', { hasText: REASON });
  assert.equal(await logged.count(), 1, 'the timeline does not show the logged position');
  assert.equal(await page.locator('#ev-log_position-error').count(), 0);

  // Desktop screenshot, then the same page at a phone's size.
  await page.screenshot({ path: path.join(OUT, 'position.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(OUT, 'position-phone.png'), fullPage: true });
  await page.screenshot({ path: path.join(OUT, 'position-phone-top.png') });
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(OUT, 'position-phone-row.png') });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  console.log(`phone viewport: horizontal overflow ${overflow}px`);

  // The desk no longer asks this party for a position on the item.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${BASE}/desk`);
  assert.equal(
    await page.locator('#desk-positions a.item-link', { hasText: ITEM_TITLE }).count(), 0,
    'the item is still waiting for our position on the desk');

  assert.deepEqual(problems, [], `the pages reported problems:\n${problems.join('\n')}`);
  await context.close();
});
