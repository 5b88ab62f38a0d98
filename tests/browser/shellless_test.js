// Devices without a shell (issue 14), in headless Chromium at phone
// (390x844) and desktop widths: the admin uploads a CSR made by `openssl
// req` as a file and downloads the chain, then has homeca make a key and
// downloads a PKCS#12 that `openssl pkcs12` opens and whose certificate
// verifies. Neither page overflows the phone's width; screenshots of each
// step are kept.
//
// usage: node shellless_test.js --homecad PATH --homeca PATH --artifacts DIR
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const h = require('./lib/harness');
const admin = require('./lib/admin');

const args = h.parseArgs(process.argv.slice(2), ['homecad', 'homeca', 'artifacts']);
const playwright = h.requireTools({ certutil: true });
const kPhone = { width: 390, height: 844 };
const kP12Password = 'printer import 2026';

async function noHorizontalOverflow(page, what) {
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  h.expect(widths[0] <= widths[1], `${what} overflows: ${widths[0]} px wide in ${widths[1]} px`);
}

// `openssl verify -purpose sslserver` of `leaf` for `host`, intermediate from `untrusted`.
function verify(homecad, leaf, untrusted, host) {
  return h.run(['openssl', 'verify', '-x509_strict', '-purpose', 'sslserver', '-verify_hostname',
    host, '-CAfile', homecad.rootPem, '-untrusted', untrusted, leaf], { allowFail: true });
}

// Clicks `selector` and saves the download it starts as `file`.
async function download(page, selector, file) {
  const [started] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  await started.saveAs(file);
  return started.suggestedFilename();
}

(async () => {
  const t = new h.Steps('shellless_test');
  const homecad = new h.Homecad(args.homecad);
  t.onFailure.push(async () => console.log(`homecad log:\n${homecad.log()}`));
  await t.step('homecad starts with a fresh CA', () => homecad.start());
  const home = h.makeHome(homecad.rootPem);
  const work = h.tempDir('shellless');
  const certificates = () => JSON.parse(h.run([args.homeca, 'list', '--json',
    `--data-dir=${homecad.dataDir}`]).stdout).length;

  for (const [width, options] of [['desktop', {}], ['phone', { viewport: kPhone, isMobile: true }]]) {
    const browser = await h.launchBrowser(playwright, { home, ...options });
    const page = await browser.newPage();
    const shot = (name) => h.screenshot(page, args.artifacts, `${width}-${name}`);
    t.onFailure.push(async () => console.log(`failure screenshot: ${await shot('failure')}`));
    const device = `nas-${width}`;
    const printer = `printer-${width}`;

    await t.step(`${width}: log in`, async () => {
      if (width === 'desktop') await admin.completeSetup(page, await admin.setupLink(homecad));
      await admin.login(page, homecad);
    });

    await t.step(`${width}: Add a device leads to the page for devices without a shell`, async () => {
      await page.goto(homecad.url('/devices/add'));
      await Promise.all([page.waitForURL((u) => u.pathname === '/devices/manual'),
        page.click('[data-testid=manual-device]')]);
      await noHorizontalOverflow(page, 'the page for devices without a shell');
      await shot('01-manual-device');
    });

    const csrFile = path.join(work, `${device}.csr`);
    await t.step(`${width}: a CSR file chosen in the form issues; the chain downloads`, async () => {
      h.run(['openssl', 'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
        '-nodes', '-keyout', path.join(work, `${device}.key`), '-subj', `/CN=${device}.home.arpa`,
        '-out', csrFile]);
      await page.fill('#csr-name', device);
      await page.setInputFiles('#csr-file', csrFile);
      await page.waitForFunction(() => document.querySelector('#csr-text').value
        .includes('BEGIN CERTIFICATE REQUEST'));
      await shot('02-csr-chosen');
      await Promise.all([page.waitForURL(/\/devices\/\d+\/issued$/),
        page.click('[data-testid=csr-submit]')]);
      h.expect((await page.locator('[data-testid=renew-by-hand]').innerText())
        .includes('renewed by hand'), 'no word on renewing by hand');
      await noHorizontalOverflow(page, 'the issued page');
      await shot('03-csr-issued');
      const chain = path.join(work, `${device}-chain.pem`);
      const name = await download(page, '[data-testid=chain-download]', chain);
      h.expectEqual(name, `${device}-chain.pem`, 'chain file name');
      const verified = verify(homecad, chain, chain, `${device}.home.arpa`);
      h.expect(verified.status === 0, `chain does not verify: ${verified.stdout}${verified.stderr}`);
    });

    await t.step(`${width}: the device is listed, renewed by hand`, async () => {
      await page.goto(homecad.url('/devices'));
      const row = page.locator('[data-testid=device-row]', {
        has: page.locator('[data-testid=device-name]', { hasText: `${device}.home.arpa` }) });
      h.expectEqual(await row.count(), 1, `rows for ${device}`);
      h.expectEqual(await row.locator('[data-testid=device-renews-by-hand]').count(), 1,
        'renewed-by-hand note');
      await shot('04-devices');
    });

    await t.step(`${width}: a CSR for another name is refused and issues nothing`, async () => {
      const before = certificates();
      await page.goto(homecad.url('/devices/manual'));
      await page.fill('#csr-name', 'tv');
      await page.fill('#csr-text', fs.readFileSync(csrFile, 'utf8'));
      await page.click('[data-testid=csr-submit]');
      const error = page.locator('[data-testid=error]');
      await error.waitFor();
      h.expect((await error.innerText()).includes(`asks for '${device}.home.arpa'`),
        `error: ${await error.innerText()}`);
      h.expectEqual(certificates(), before, 'certificates after a refused CSR');
      await shot('05-csr-refused');
    });

    await t.step(`${width}: a CA-made key downloads as a PKCS#12 that openssl opens`, async () => {
      await page.goto(homecad.url('/devices/manual'));
      h.expect(await page.locator('[data-testid=key-warning]').isVisible(), 'no warning');
      h.expect(await page.locator('[data-testid=key-submit]').isDisabled(),
        'the key button is enabled before the warning is confirmed');
      await page.fill('#key-name', printer);
      await page.selectOption('#key-type', 'rsa2048');
      await page.selectOption('#key-format', width === 'phone' ? 'p12-legacy' : 'p12');
      await page.fill('#p12-password', kP12Password);
      await page.fill('#p12-password2', kP12Password);
      await page.check('#key-confirm');
      await shot('06-key-form');
      const p12 = path.join(work, `${printer}.p12`);
      const name = await download(page, '[data-testid=key-submit]', p12);
      h.expectEqual(name, `${printer}.p12`, 'PKCS#12 file name');
      const pem = path.join(work, `${printer}.pem`);
      const opened = h.run(['openssl', 'pkcs12', '-in', p12, '-nodes', '-passin',
        `pass:${kP12Password}`, '-out', pem], { allowFail: true });
      h.expect(opened.status === 0, `openssl pkcs12: ${opened.stderr}`);
      const leaf = path.join(work, `${printer}-leaf.pem`);
      fs.writeFileSync(leaf, h.run(['openssl', 'pkcs12', '-in', p12, '-clcerts', '-nokeys',
        '-passin', `pass:${kP12Password}`]).stdout);
      const verified = verify(homecad, leaf, pem, `${printer}.home.arpa`);
      h.expect(verified.status === 0, `certificate does not verify: ${verified.stderr}`);
      await shot('07-key-downloaded');
    });
    await browser.close();
  }
  t.finish();
})();
