// Pairing feedback in a real browser against a real homecad: a real
// homeca-enroll types a wrong code, and the pairing page -- following it
// live, without a reload -- says so with the attempts left; "New code" makes
// a fresh code for the same name, the old one dead; the device pairs with it
// and the page says what to do next (its files, its web server, renewal, its
// links). A name already in use is refused with a replace choice. No page
// shows a store word (armed, burned, slot:NN, pairing-burned, pairing:N).
// Screenshots at desktop (1280x800) and phone (390x844) widths.
//
// usage: node pairing_feedback_test.js --homecad PATH --enroll PATH --artifacts DIR
'use strict';

const crypto = require('node:crypto');

const h = require('./lib/harness');
const admin = require('./lib/admin');

const args = h.parseArgs(process.argv.slice(2), ['homecad', 'enroll', 'artifacts']);
const playwright = h.requireTools({ certutil: true });
const kPhone = { width: 390, height: 844 };
const kStoreWords = [/\barmed\b/, /\bburned\b/, /slot:\d/, /pairing-[a-z]/, /pairing:\d/,
  /· done/, /expired · expired/];

// Verhoeff, as enroll/pake/pairing_code.h: the twelfth digit checks the
// first eleven.
const kD = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1], [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]];
const kP = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1], [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]];
const kInv = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];
function withCheckDigit(eleven) {
  let c = 0;
  [...eleven].reverse().forEach((ch, i) => { c = kD[c][kP[(i + 1) % 8][Number(ch)]]; });
  return eleven + kInv[c];
}

// Another code for the same slot: passes the device's own typo check, so it
// reaches the CA, and is wrong there. The secret's digits are random (a run
// of 8 in a row, refused as trivial, is one chance in millions).
function wrongCodeFor(code) {
  const digits = code.replace(/-/g, '');
  let secret;
  do {
    secret = Array.from(crypto.randomBytes(9), (b) => String(b % 10)).join('');
  } while (secret === digits.slice(2, 11));
  const full = withCheckDigit(digits.slice(0, 2) + secret);
  return `${full.slice(0, 4)}-${full.slice(4, 8)}-${full.slice(8)}`;
}

function text(page, testid) {
  return page.locator(`[data-testid=${testid}]`).innerText();
}

async function expectPlain(page, where) {
  const body = await page.innerText('body');
  for (const word of kStoreWords) h.expect(!word.test(body), `${where} shows ${word}: ${body}`);
}

(async () => {
  const t = new h.Steps('pairing_feedback_test');
  const shots = [];
  const homecad = new h.Homecad(args.homecad);
  t.onFailure.push(async () => console.log(`homecad log:\n${homecad.log()}`));
  await t.step('homecad starts with a fresh CA', () => homecad.start());
  const home = h.makeHome(homecad.rootPem);
  const desktop = await h.launchBrowser(playwright, { home });
  const phone = await h.launchBrowser(playwright, { home, viewport: kPhone, isMobile: true });
  const page = await desktop.newPage();
  const small = await phone.newPage();
  t.onFailure.push(async () => {
    shots.push(await h.screenshot(page, args.artifacts, 'failure-desktop'));
    console.log(`failure screenshot: ${shots.at(-1)} at ${page.url()}`);
  });
  // The page at both widths: the phone opens the same URL with the same cookies.
  const both = async (name) => {
    shots.push(await h.screenshot(page, args.artifacts, `desktop-${name}`));
    await phone.addCookies(await desktop.cookies(homecad.url('/')));
    await small.goto(page.url());
    shots.push(await h.screenshot(small, args.artifacts, `phone-${name}`));
  };

  const link = await t.step('homecad logs a first-run setup link', () => admin.setupLink(homecad));
  await t.step('setup and login', async () => {
    await admin.completeSetup(page, link);
    await admin.login(page, homecad);
  });

  let code;
  await t.step('Add a device makes a code for printer', async () => {
    await page.goto(homecad.url('/devices/add'));
    await page.fill('#device-name', 'printer');
    await Promise.all([page.waitForURL(/\/pairings\/\d+$/), page.click('[data-testid=make-code]')]);
    code = (await text(page, 'pairing-code')).trim();
    h.expect(/^\d{4}-\d{4}-\d{4}$/.test(code), `code ${JSON.stringify(code)}`);
    h.expectEqual((await text(page, 'pairing-summary')).trim(), 'Waiting for the device.',
      'summary before any attempt');
    h.expect(!(await page.locator('[data-testid=next-steps]').isVisible()), 'next steps early');
  });

  const wrong = wrongCodeFor(code);
  await t.step('a wrong code typed on the device shows on the page, live, with attempts left',
    async () => {
      await page.evaluate(() => { window.homecaNoReload = true; });
      const typed = await admin.pairDevice(args.enroll, homecad, wrong, h.tempDir('wrong'));
      h.expect(typed.code !== 0, `homeca-enroll accepted a wrong code: ${typed.output}`);
      h.expect(/wrong code/i.test(typed.output), `device output: ${typed.output}`);
      await page.locator('[data-testid=pairing-summary]',
        { hasText: 'A wrong code was typed on the device -- 4 attempts left.' })
        .waitFor({ timeout: 15000 });
      h.expect(await page.evaluate(() => window.homecaNoReload === true), 'the page was reloaded');
      h.expectEqual((await text(page, 'pairing-status')).trim(), 'waiting', 'status');
      h.expect(await page.locator('[data-testid=new-code]').isVisible(), 'no New code button');
      const body = await page.innerText('body');
      h.expect(!body.includes(wrong), 'the page shows the code typed on the device');
      h.expect(!homecad.log().includes(wrong) && !homecad.log().includes(wrong.replace(/-/g, '')),
        'homecad logged the code typed on the device');
      await expectPlain(page, 'the pairing page');
      await both('01-wrong-code');
    });

  let fresh;
  await t.step('"New code" makes a fresh code for printer; the old one is dead', async () => {
    const old = page.url();
    await page.goto(old);  // the phone's visit did not change the desktop's page
    await Promise.all([page.waitForURL((u) => u.href !== old && /\/pairings\/\d+$/.test(u.pathname)),
      page.click('[data-testid=new-code]')]);
    fresh = (await text(page, 'pairing-code')).trim();
    h.expect(/^\d{4}-\d{4}-\d{4}$/.test(fresh) && fresh !== code, `new code ${fresh}`);
    h.expect((await page.innerText('h1')).includes('printer'), 'the new code is for printer');
    await page.goto(old);
    h.expectEqual((await text(page, 'pairing-status')).trim(), 'cancelled', 'the old pairing');
    await page.goBack();
    await both('02-new-code');
  });

  await t.step('the device pairs with the new code; the page says what to do next', async () => {
    const device = h.tempDir('device');
    const paired = await admin.pairDevice(args.enroll, homecad, fresh, device);
    h.expect(paired.code === 0, `homeca-enroll failed (${paired.code}): ${paired.output}`);
    await page.locator('[data-testid=pairing-status]', { hasText: /^\s*paired\s*$/ })
      .waitFor({ timeout: 15000 });
    await page.locator('[data-testid=next-steps]').waitFor({ state: 'visible', timeout: 5000 });
    const steps = await text(page, 'next-steps');
    for (const want of ['/var/lib/homeca-enroll', 'chain.pem', 'key.pem', 'homeca-enroll run',
      'https://printer.home.arpa/']) {
      h.expect(steps.includes(want), `next steps lack ${want}: ${steps}`);
    }
    h.expectEqual((await text(page, 'pairing-summary')).trim(), 'The device is paired.', 'summary');
    h.expect(!(await page.locator('[data-testid=new-code]').isVisible()), 'New code after pairing');
    await expectPlain(page, 'the paired page');
    await both('03-paired-next-steps');
  });

  await t.step('adding printer again is refused in plain words, with a replace choice', async () => {
    await page.goto(homecad.url('/devices/add'));
    await page.fill('#device-name', 'printer');
    await page.click('[data-testid=make-code]');
    const error = (await text(page, 'error')).trim();
    h.expect(error.startsWith('printer.home.arpa is already the name of a paired device'),
      `refusal: ${error}`);
    h.expect(await page.locator('[data-testid=replace-device]').isVisible(), 'no replace button');
    shots.push(await h.screenshot(page, args.artifacts, 'desktop-04-name-in-use'));
    // The refusal is a POST's answer: the phone makes the same mistake.
    await phone.addCookies(await desktop.cookies(homecad.url('/')));
    await small.goto(homecad.url('/devices/add'));
    await small.fill('#device-name', 'printer');
    await small.click('[data-testid=make-code]');
    await small.locator('[data-testid=replace-device]').waitFor();
    shots.push(await h.screenshot(small, args.artifacts, 'phone-04-name-in-use'));
    await Promise.all([page.waitForURL(/\/pairings\/\d+$/),
      page.click('[data-testid=replace-device]')]);
    h.expect((await text(page, 'pairing-replaces')).includes('replaces'), 'replace note');
  });

  await t.step('the audit log says who and what in words', async () => {
    await page.goto(homecad.url('/audit'));
    await expectPlain(page, 'the audit log');
    const body = await page.innerText('body');
    h.expect(body.includes('wrong code typed on the device'), 'no wrong-code entry');
    h.expect(!body.includes(wrong) && !body.includes(fresh) && !body.includes(code),
      'a code in the audit log');
    await both('05-audit');
  });

  await t.step('homecad stops cleanly', async () => {
    await desktop.close();
    await phone.close();
    h.expectEqual(await homecad.stop(), 0, 'homecad exit code');
  });
  console.log(`screenshots (${shots.length}) in ${args.artifacts}`);
  t.finish();
})();
