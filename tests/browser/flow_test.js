// The admin's whole journey in a real browser against a real homecad: the
// first-run setup link, login, adding a device, a real homeca-enroll pairing
// with the code shown while the page follows it live, the device in Devices,
// revoking its certificate (reason + confirmation), logout. Every page is
// saved as a screenshot at desktop (1280x800) and phone (390x844) widths.
//
// usage: node flow_test.js --homecad PATH --homeca PATH --enroll PATH --artifacts DIR
'use strict';

const path = require('node:path');

const h = require('./lib/harness');
const admin = require('./lib/admin');

const args = h.parseArgs(process.argv.slice(2), ['homecad', 'homeca', 'enroll', 'artifacts']);
const playwright = h.requireTools({ certutil: true });
const kPhone = { width: 390, height: 844 };

function text(page, testid) {
  return page.locator(`[data-testid=${testid}]`).innerText();
}

// Runs `action` and waits until the main frame has navigated and loaded.
async function navigation(page, action) {
  await Promise.all([page.waitForEvent('framenavigated', (f) => f === page.mainFrame()), action()]);
  await page.waitForLoadState('load');
}

(async () => {
  const t = new h.Steps('flow_test');
  const shots = [];
  const homecad = new h.Homecad(args.homecad);
  t.onFailure.push(async () => console.log(`homecad log:\n${homecad.log()}`));
  await t.step('homecad starts with a fresh CA', () => homecad.start());
  const home = h.makeHome(homecad.rootPem);
  const desktop = await h.launchBrowser(playwright, { home });
  const phone = await h.launchBrowser(playwright, { home, viewport: kPhone, isMobile: true });
  const page = await desktop.newPage();
  const small = await phone.newPage();
  const dialogs = [];
  for (const p of [page, small]) {
    p.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  }
  t.onFailure.push(async () => {
    shots.push(await h.screenshot(page, args.artifacts, 'failure-desktop'));
    console.log(`failure screenshot: ${shots.at(-1)} at ${page.url()}`);
  });
  // Saves the page at both widths; the phone loads the same URL with the
  // same cookies unless `phonePage` is already there.
  const both = async (name, { phonePage = false } = {}) => {
    shots.push(await h.screenshot(page, args.artifacts, `desktop-${name}`));
    if (!phonePage) {
      await phone.addCookies(await desktop.cookies(homecad.url('/')));
      await small.goto(page.url());
    }
    shots.push(await h.screenshot(small, args.artifacts, `phone-${name}`));
  };

  await t.step('unauthenticated, the admin UI sends the browser to /login', async () => {
    await page.goto(homecad.url('/'));
    h.expectEqual(new URL(page.url()).pathname, '/login', 'page for an anonymous visitor');
  });

  const link = await t.step('homecad logs a first-run setup link', () => admin.setupLink(homecad));
  await t.step('first-run setup sets the admin password', async () => {
    await small.goto(link);  // a GET does not use up the token
    shots.push(await h.screenshot(small, args.artifacts, 'phone-01-setup'));
    await page.goto(link);
    shots.push(await h.screenshot(page, args.artifacts, 'desktop-01-setup'));
    await admin.completeSetup(page, link);
  });
  await t.step('the setup link works only once', async () => {
    const again = await admin.request(homecad, new URL(link).pathname + new URL(link).search);
    h.expect(!again.body.includes('password-confirm'), `setup form shown again (${again.status})`);
  });

  await t.step('a wrong password is refused with a visible error', async () => {
    await page.goto(homecad.url('/login'));
    await small.goto(homecad.url('/login'));
    shots.push(await h.screenshot(small, args.artifacts, 'phone-02-login'));
    await page.fill('#password', 'not the password');
    await page.click('[data-testid=login-submit]');
    const error = page.locator('[data-testid=error]');
    await error.waitFor();
    h.expect((await error.innerText()).trim().length > 0, 'empty login error');
    h.expectEqual(new URL(page.url()).pathname.startsWith('/login'), true, 'still on login');
    shots.push(await h.screenshot(page, args.artifacts, 'desktop-02-login-error'));
  });

  await t.step('login with the password set at setup', () => admin.login(page, homecad));

  await t.step('Overview shows the root fingerprint and the counts', async () => {
    const shown = admin.fingerprintHex(await text(page, 'root-fingerprint'));
    h.expectEqual(shown, admin.fingerprint(homecad.rootPem), 'root fingerprint');
    h.expectEqual((await text(page, 'device-count')).trim(), '0', 'device count');
    h.expect(/^\d+$/.test((await text(page, 'certificate-count')).trim()), 'certificate count');
    await both('03-overview');
  });

  let pairingUrl;
  let code;
  await t.step('Add a device shows a pairing code, its expiry and the command', async () => {
    await page.click('[data-testid=nav-add]');
    await page.waitForURL((u) => u.pathname === '/devices/add');
    await both('04-add-device');
    await page.fill('#device-name', 'nas');
    await Promise.all([page.waitForURL(/\/pairings\/[^/]+$/), page.click('[data-testid=make-code]')]);
    pairingUrl = page.url();
    code = (await text(page, 'pairing-code')).trim();
    h.expect(/^\d{4}-\d{4}-\d{4}$/.test(code), `pairing code looks like ${JSON.stringify(code)}`);
    h.expect((await text(page, 'pairing-expiry')).trim().length > 0, 'no expiry shown');
    const command = await text(page, 'enroll-command');
    h.expect(command.includes('homeca-enroll pair') && command.includes(code) &&
      command.includes('--ca https://'), `enroll command: ${command}`);
    h.expectEqual((await text(page, 'pairing-status')).trim(), 'waiting', 'status before pairing');
    await both('05-pairing-waiting');
    h.expectEqual((await text(small, 'pairing-status')).trim(), 'waiting', 'phone status');
  });

  const device = h.tempDir('device');
  await t.step('a real homeca-enroll pairs; the page turns to paired without a reload', async () => {
    // A reload or navigation would drop this marker and fire framenavigated.
    await page.evaluate(() => { window.homecaNoReload = true; });
    let navigations = 0;
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations += 1; });
    const paired = await admin.pairDevice(args.enroll, homecad, code, device);
    h.expect(paired.code === 0, `homeca-enroll failed (${paired.code}): ${paired.output}`);
    await page.locator('[data-testid=pairing-status]', { hasText: /^\s*paired\s*$/ })
      .waitFor({ timeout: 15000 });
    h.expect(await page.evaluate(() => window.homecaNoReload === true), 'the page was reloaded');
    h.expectEqual(navigations, 0, 'navigations while waiting');
    h.expectEqual(page.url(), pairingUrl, 'URL after pairing');
    // Nothing left to act on: the used code and the cancel button are gone.
    h.expect(!(await page.locator('[data-testid=pairing-code]').isVisible()), 'used code still shown');
    h.expect(!(await page.locator('[data-testid=cancel-pairing]').isVisible()),
      'cancel button still shown');
    await small.locator('[data-testid=pairing-status]', { hasText: /^\s*paired\s*$/ })
      .waitFor({ timeout: 15000 });
    await both('06-pairing-paired', { phonePage: true });
  });

  const serial = admin.serialHex(h.run(['openssl', 'x509', '-in', path.join(device, 'cert.pem'),
    '-noout', '-serial']).stdout.split('=')[1]);
  await t.step('the device appears in Devices', async () => {
    await page.click('[data-testid=nav-devices]');
    await page.waitForURL((u) => u.pathname === '/devices');
    const row = page.locator('[data-testid=device-row]', {
      has: page.locator('[data-testid=device-name]', { hasText: 'nas' }) });
    h.expectEqual(await row.count(), 1, 'rows for nas');
    h.expect((await row.locator('[data-testid=device-status]').innerText()).trim().length > 0,
      'empty device status');
    await both('07-devices');
    await page.click('[data-testid=nav-overview]');
    h.expectEqual((await text(page, 'device-count')).trim(), '1', 'device count after pairing');
  });

  await t.step('its certificate is found in Certificates', async () => {
    await page.click('[data-testid=nav-certificates]');
    await page.waitForURL((u) => u.pathname === '/certificates');
    const serials = (await page.locator('[data-testid=cert-serial]').allInnerTexts())
      .map(admin.serialHex);
    const index = serials.indexOf(serial);
    h.expect(index >= 0, `serial ${serial} not in ${JSON.stringify(serials)}`);
    await both('08-certificates');
    await page.locator('[data-testid=cert-row]').nth(index).locator('a').first().click();
    await page.waitForURL((u) => u.pathname.startsWith('/certificates/'));
    h.expect((await text(page, 'cert-status')).trim() !== 'revoked', 'revoked already');
    await both('09-certificate');
  });

  await t.step('revoking needs the confirmation, then the status reads revoked', async () => {
    const reasons = await page.locator('#revoke-reason option').evaluateAll(
      (options) => options.map((o) => o.value));
    const reason = reasons.find((v) => /key.?compromise/i.test(v));
    h.expect(reason, `no keyCompromise reason among ${JSON.stringify(reasons)}`);
    await page.selectOption('#revoke-reason', reason);
    // Without the confirmation box the button stays disabled, and a form
    // sent anyway (script, or a browser without JS) is refused by the server.
    h.expect(await page.locator('[data-testid=revoke-submit]').isDisabled(),
      'the revoke button is enabled before the confirmation is ticked');
    const revoked = () => JSON.parse(h.run([args.homeca, 'list', '--status', 'revoked', '--json',
      `--data-dir=${homecad.dataDir}`]).stdout).find((c) => admin.serialHex(c.serial) === serial);
    const details = page.url();
    await navigation(page, () => page.locator('#revoke-confirm').evaluate((box) => box.form.submit()));
    await page.locator('[data-testid=error]').waitFor();
    h.expect(!revoked(), 'revoked without the confirmation');
    await page.goto(details);
    await page.selectOption('#revoke-reason', reason);
    await page.check('#revoke-confirm');
    await navigation(page, () => page.click('[data-testid=revoke-submit]'));
    await page.locator('[data-testid=cert-status]', { hasText: /^\s*revoked\s*$/ }).waitFor();
    const record = revoked();
    h.expect(record, 'the store does not list the certificate as revoked');
    h.expectEqual(record.revocation_reason, 'keyCompromise', 'reason in the store');
    await both('10-certificate-revoked');
  });

  await t.step('Trust, Audit and Settings render', async () => {
    for (const [nav, where, name] of [['nav-trust', '/trust', '11-trust'],
      ['nav-audit', '/audit', '12-audit'], ['nav-settings', '/settings', '13-settings']]) {
      await page.click(`[data-testid=${nav}]`);
      await page.waitForURL((u) => u.pathname === where);
      await both(name);
    }
    h.expect(admin.fingerprintHex(await page.goto(homecad.url('/trust')).then(() =>
      text(page, 'root-fingerprint'))) === admin.fingerprint(homecad.rootPem), 'trust fingerprint');
    const audit = await page.goto(homecad.url('/audit')).then(() => page.innerText('body'));
    h.expect(/revoke/i.test(audit), 'the audit log does not show the revocation');
  });

  await t.step('the onboarding page (plain HTTP) renders', async () => {
    h.expect(homecad.httpPort, 'homecad logged no onboarding listener');
    // By address: after the admin pages' HSTS this browser would upgrade
    // http://ca.home.arpa:PORT to https on the same (plain HTTP) port.
    await page.goto(homecad.onboardingUrl('/'));
    h.expectEqual(admin.fingerprintHex(await text(page, 'root-fingerprint')),
      admin.fingerprint(homecad.rootPem), 'onboarding fingerprint');
    await both('14-onboarding');
  });

  await t.step('logout ends the session for good', async () => {
    const cookie = await admin.cookieHeader(desktop, homecad);
    const before = await admin.request(homecad, '/devices', { headers: { Cookie: cookie } });
    h.expectEqual(before.status, 200, 'the session works before logout');
    await page.goto(homecad.url('/'));
    await Promise.all([page.waitForURL((u) => u.pathname === '/login'),
      page.click('[data-testid=logout]')]);
    const after = await admin.request(homecad, '/devices', { headers: { Cookie: cookie } });
    h.expect(after.status === 303 || after.status === 302, `old session got ${after.status}`);
    h.expect((after.headers.location || '').includes('/login'), 'not sent to /login');
    await page.goto(homecad.url('/devices'));
    h.expectEqual(new URL(page.url()).pathname, '/login', 'page after logout');
  });

  await t.step('no dialog ever opened, and homecad stops cleanly', async () => {
    h.expectEqual(dialogs.length, 0, `dialogs ${JSON.stringify(dialogs)}`);
    await desktop.close();
    await phone.close();
    h.expectEqual(await homecad.stop(), 0, 'homecad exit code');
  });
  console.log(`screenshots (${shots.length}) in ${args.artifacts}`);
  t.finish();
})();
