// Browser test: the convener runs a meeting on the live screen while party representatives log
// their positions from their own sessions; the decision is refused (409, shown on the screen)
// until every present party has spoken, then recorded; the minutes are published, signed by
// two parties, printed to PDF and screenshotted. Headless Debian chromium via playwright-core.
//
// Run by tests/e2e/run.sh (LIUFANG_URL, LIUFANG_E2E_OUT, CHROMIUM as for login_position).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.LIUFANG_URL;
const OUT = process.env.LIUFANG_E2E_OUT || path.resolve('e2e-out');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'taoyuanju-2026';
const STAMP = Date.now();
const TITLE = `e2e 临时会议 ${STAMP}`;
const ITEM = `e2e 议题：小区东门加装夜间照明 ${STAMP}`;
// All six parties sit, each in its own browser session: the convener speaks for 党委, the five
// other representatives on phones.
const PRESENT = ['dangwei', 'gongzuozhan', 'juweihui', 'gongyi', 'wuye', 'yeweihui'];
const SPEAKERS = { dangwei: 'shuji', gongzuozhan: 'gongzuozhan', juweihui: 'juweihui',
                   gongyi: 'gongyi', wuye: 'wuye', yeweihui: 'yeweihui' };

let browser;
before(async () => {
  assert.ok(BASE, 'LIUFANG_URL is not set: run this through tests/e2e/run.sh');
  assert.ok(existsSync(CHROMIUM), `chromium not found at ${CHROMIUM}`);
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => { await browser?.close(); });

async function session(user, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'zh-CN' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  // The refused decision is an expected 409: the browser logs it as a failed resource.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 409/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.goto(`${BASE}/login`);
  await page.fill('#username', user);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(/\/desk$/), page.click('#login-submit')]);
  return { context, page, problems };
}

test('a meeting runs on the live screen and its minutes are signed and printed', async () => {
  const convener = await session('shuji');
  const p = convener.page;

  // ---- a proposal, then a meeting with it on the agenda
  await p.goto(`${BASE}/items/new`);
  await p.fill('#f-title', ITEM);
  await p.fill('#f-description', '东门至3栋路段夜间无照明，老人出行不便。');
  await Promise.all([p.waitForURL(/\/items\/\d+/), p.click('#new-item-submit')]);
  const itemId = Number(new URL(p.url()).pathname.split('/').pop());

  await p.goto(`${BASE}/meetings`);
  await p.screenshot({ path: path.join(OUT, 'meetings.png'), fullPage: true });
  await p.fill('#m-title', TITLE);
  await p.selectOption('#m-kind', 'adhoc');
  for (const box of await p.locator('#suggested-agenda input[type=checkbox]').all())
    await box.uncheck();
  await p.check(`#suggested-agenda input[value="${itemId}"]`);
  await Promise.all([p.waitForURL(/\/meetings\/\d+\?done=schedule/), p.click('#schedule-submit')]);
  const meetingUrl = p.url().split('?')[0];
  const id = meetingUrl.split('/').pop();

  // ---- call to order with the six parties present
  for (const sel of await p.locator('#ev-open select').all()) {
    const name = await sel.getAttribute('name');
    await sel.selectOption(PRESENT.includes(name.replace('status_', '')) ? 'present' : 'absent');
  }
  await Promise.all([p.waitForURL(/done=open/), p.click('#ev-open-submit')]);
  await p.goto(`${BASE}/meetings/${id}/live?item=${itemId}`);
  await Promise.all([p.waitForURL(/done=take_up/), p.click('#take-up-submit')]);
  assert.equal(await p.locator('#current-state').textContent(), '讨论');

  // ---- five representatives speak from their own sessions (phones)
  const reps = [];
  for (const party of PRESENT.slice(1)) {
    const rep = await session(SPEAKERS[party], 390);
    reps.push(rep);
    await rep.page.goto(`${BASE}/meetings/${id}/live?item=${itemId}`);
    await rep.page.check('#my-position input[value="support"]');
    await rep.page.fill('#my-reason', `${party} 同意，建议尽快实施`);
    await Promise.all([rep.page.waitForURL(/done=log_position/), rep.page.click('#my-position-submit')]);
    assert.equal(await rep.page.locator(`#lp-${party} .stance-support`).count(), 1);
  }
  await reps[0].page.screenshot({ path: path.join(OUT, 'live-phone.png'), fullPage: true });

  // ---- the convener's screen: 党委 has not spoken; the decision is refused with the reason
  await p.goto(`${BASE}/meetings/${id}/live?item=${itemId}`);
  assert.match(await p.locator('meta[http-equiv=refresh]').getAttribute('content'), /^\d+$/);
  assert.match(await p.locator('#not-spoken').textContent(), /党委/);
  await p.screenshot({ path: path.join(OUT, 'live-projector.png'), fullPage: true });
  await p.click('#decide-link');
  await p.fill('#decision', '同意加装，由物业牵头实施');
  const refused = await Promise.all([p.waitForResponse((r) => r.request().method() === 'POST'),
                                     p.click('#resolve-submit')]);
  assert.equal(refused[0].status(), 409);
  assert.match(await p.locator('#live-error').textContent(), /社区党委/);
  assert.equal(await p.inputValue('#decision'), '同意加装，由物业牵头实施', 'the typed decision is kept');

  // ---- the convener speaks for 党委, then the decision passes
  await p.check('#my-position input[value="supplement"]');
  await p.fill('#my-reason', '请同步考虑节能灯具');
  await Promise.all([p.waitForURL(/done=log_position/), p.click('#my-position-submit')]);
  assert.equal(await p.locator('#all-spoken').count(), 1);
  await p.click('#decide-link');
  await p.fill('#decision', '同意加装，由物业牵头实施');
  await Promise.all([p.waitForURL(/done=resolve/), p.click('#resolve-submit')]);
  assert.match(await p.locator('#current-decision').textContent(), /物业牵头/);

  // ---- adjourn, publish, every present party signs (the convener for 党委)
  await p.goto(meetingUrl);
  await Promise.all([p.waitForURL(/done=adjourn/), p.click('#ev-adjourn-submit')]);
  await p.goto(`${meetingUrl}/minutes`);
  await p.fill('#preamble', '会议由社区党委书记主持，研究东门夜间照明问题。');
  await p.fill('#closing', '各方按分工抓好落实。');
  await Promise.all([p.waitForURL(/done=publish_minutes/), p.click('#publish-submit')]);
  for (const rep of reps.slice(0, 2)) {
    await rep.page.goto(`${meetingUrl}/minutes`);
    await Promise.all([rep.page.waitForURL(/done=sign_minutes/), rep.page.click('#sign-submit')]);
  }
  await p.reload();
  assert.equal(await p.locator('#signatures tr.signed').count(), 2);
  assert.equal(await p.locator('#signatures tr.unsigned').count(), 4, 'the unsigned parties are shown');
  for (const s of [convener, ...reps.slice(2)]) {
    await s.page.goto(`${meetingUrl}/minutes`);
    await Promise.all([s.page.waitForURL(/done=sign_minutes/), s.page.click('#sign-submit')]);
  }
  await p.reload();
  assert.equal(await p.locator('#signatures tr.signed').count(), 6);
  assert.equal(await p.locator('#signatures tr.unsigned').count(), 0);
  const body = await p.locator('#minutes').textContent();
  const positions = PRESENT.slice(1).map((party) => `${party} 同意，建议尽快实施`);
  for (const text of [...positions, '请同步考虑节能灯具', '同意加装，由物业牵头实施', '各方按分工抓好落实'])
    assert.ok(body.includes(text), `the minutes lack "${text}"`);

  await p.screenshot({ path: path.join(OUT, 'minutes.png'), fullPage: true });
  await p.emulateMedia({ media: 'print' });
  await p.screenshot({ path: path.join(OUT, 'minutes-print.png'), fullPage: true });
  const pdf = path.join(OUT, 'minutes.pdf');
  await p.pdf({ path: pdf, format: 'A4', printBackground: true });
  assert.ok(statSync(pdf).size > 10_000, 'the printed minutes are empty');

  for (const s of [convener, ...reps]) {
    assert.deepEqual(s.problems, [], s.problems.join('\n'));
    await s.context.close();
  }
});
