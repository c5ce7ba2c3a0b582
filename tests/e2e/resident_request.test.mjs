// Browser test: a resident on a phone-sized browser, without an account, submits a request
// (居民点单), gets a tracking number, and follows it; the convener screens it into a proposal
// from the moderation queue; the resident's tracking page then shows the public reply and the
// proposal's progress. Also screenshots the form, the tracking page, the board and the poster
// at 390px and 1280px. Run by tests/e2e/run.sh (ctest e2e_resident_request).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.LIUFANG_URL;
const OUT = process.env.LIUFANG_E2E_OUT || path.resolve('e2e-out');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TITLE = `小区北门积水 e2e-${Date.now()}`;
const PHONE_NUMBER = '13598765432';

let browser;

before(async () => {
  assert.ok(BASE, 'LIUFANG_URL is not set: run this through tests/e2e/run.sh');
  assert.ok(existsSync(CHROMIUM), `chromium not found at ${CHROMIUM}`);
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
});

async function shoot(page, name) {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(OUT, `${name}-${width}.png`), fullPage: true });
  }
}

test('a resident submits, follows, and sees the answer after the convener screens it', async () => {
  // ---- the resident: a phone, no account
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN',
  });
  phone.setDefaultTimeout(15_000);
  const resident = await phone.newPage();
  const problems = [];
  resident.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  resident.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });

  await resident.goto(`${BASE}/request/taoyuanju`);
  await shoot(resident, 'request-form');
  await resident.setViewportSize({ width: 390, height: 844 });
  // The honeypot is off-screen: a person never sees it.
  const hp = await resident.locator('#q-website').boundingBox();
  assert.ok(!hp || hp.x + hp.width <= 0, 'the honeypot field is visible');
  await resident.fill('#q-title', TITLE);
  await resident.fill('#q-description', '下雨后北门人行道积水，老人孩子出行不便。');
  await resident.fill('#q-location', '北门');
  await resident.fill('#q-contact', `周先生 ${PHONE_NUMBER}`);
  await Promise.all([resident.waitForURL(/\/track\/TYJ-\d{4}-\d{4}\?new=1$/),
    resident.click('#request-submit')]);
  const number = (await resident.textContent('#track-number')).trim();
  assert.match(number, /^TYJ-\d{4}-\d{4}$/);
  assert.ok(await resident.isVisible('#track-new'));
  assert.ok(await resident.isVisible('#track-no-reply'));
  assert.ok(!(await resident.content()).includes(PHONE_NUMBER), 'the contact is public');
  await resident.screenshot({ path: path.join(OUT, 'resident-submitted.png'), fullPage: true });

  // ---- the convener: the queue, with the contact, screens it into a proposal
  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  desk.setDefaultTimeout(15_000);
  const convener = await desk.newPage();
  await convener.goto(`${BASE}/login`);
  await convener.fill('#username', 'shuji');
  await convener.fill('#password', 'taoyuanju-2026');
  await Promise.all([convener.waitForURL(/\/desk$/), convener.click('#login-submit')]);
  await Promise.all([convener.waitForURL(/\/requests$/), convener.click('#nav-requests')]);
  const card = convener.locator(`[data-number="${number}"]`);
  assert.ok((await card.textContent()).includes(PHONE_NUMBER), 'the convener sees the contact');
  await card.locator('details:has(.screen-form) > summary').click();
  await convener.screenshot({ path: path.join(OUT, 'queue-1280.png'), fullPage: true });
  await Promise.all([convener.waitForURL(/\/requests\?done=screen$/),
    card.locator('.screen-form button[type=submit]').click()]);
  assert.equal(await convener.locator(`[data-number="${number}"]`).count(), 0);

  // ---- the resident again: the public reply and the proposal's progress
  await resident.goto(`${BASE}/track/${number}`);
  assert.equal(await resident.getAttribute('#track', 'data-state'), 'screened');
  const reply = await resident.textContent('#track-reply-text');
  assert.ok(reply.includes('议题'), `unexpected reply: ${reply}`);
  assert.ok(await resident.isVisible('#track-item'));
  assert.ok((await resident.textContent('#track-item')).includes(TITLE));
  assert.ok(!(await resident.content()).includes(PHONE_NUMBER));
  await shoot(resident, 'track');

  // ---- the public board and the poster, at both widths; no personal data on the board
  const board = await phone.newPage();
  await board.goto(`${BASE}/board/taoyuanju`);
  const html = await board.content();
  for (const p of [PHONE_NUMBER, '13800138000', '王阿姨', '李红梅'])
    assert.ok(!html.includes(p), `the board shows ${p}`);
  await shoot(board, 'board');
  await board.goto(`${BASE}/board/taoyuanju/poster`);
  assert.equal(await board.locator('svg.qr').count(), 2);
  await shoot(board, 'poster');

  assert.deepEqual(problems, []);
  await phone.close();
  await desk.close();
});
