// Trust, as a household member gets it: the onboarding page (plain HTTP)
// shows the root's fingerprint and offers it per platform; the downloads are
// the root (the .mobileconfig parses as a property list holding it, judged by
// Python's plistlib; the DER and PEM files, judged by openssl). The
// downloaded root imported into a fresh NSS store makes the admin UI load
// over HTTPS with no certificate error; without it Chromium refuses with
// ERR_CERT_AUTHORITY_INVALID.
//
// usage: node trust_test.js --homecad PATH --artifacts DIR
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const h = require('./lib/harness');
const admin = require('./lib/admin');

// Content-Type of a plain-HTTP GET (outside the browser).
function contentType(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => { res.resume(); resolve(res.headers['content-type']); }).on('error', reject);
  });
}

// Extracts the root payload of an Apple configuration profile to a DER file.
const kPlistRoot = `
import plistlib, sys
p = plistlib.load(open(sys.argv[1], 'rb'))
assert p['PayloadType'] == 'Configuration', p['PayloadType']
roots = [c for c in p['PayloadContent'] if c['PayloadType'] == 'com.apple.security.root']
assert len(roots) == 1, roots
open(sys.argv[2], 'wb').write(roots[0]['PayloadContent'])
`;

const args = h.parseArgs(process.argv.slice(2), ['homecad', 'artifacts']);
const playwright = h.requireTools({ certutil: true });

(async () => {
  const t = new h.Steps('trust_test');
  const homecad = new h.Homecad(args.homecad);
  t.onFailure.push(async () => console.log(`homecad log:\n${homecad.log()}`));
  await t.step('homecad starts on loopback with a fresh CA', () => homecad.start());

  const downloads = h.tempDir('downloads');
  const rootFingerprint = () => admin.fingerprint(homecad.rootPem);
  await t.step('the onboarding page shows the fingerprint and a QR code', async () => {
    h.expect(homecad.httpPort, 'homecad logged no onboarding listener');
    const browser = await h.launchBrowser(playwright, { home: h.makeHome(null) });
    try {
      const page = await browser.newPage();
      // By name, as a phone on the LAN would open it.
      const response = await page.goto(`http://${h.kHost}:${homecad.httpPort}/`);
      h.expectEqual(response.status(), 200, 'onboarding status');
      h.expectEqual(admin.fingerprintHex(await page.locator('[data-testid=root-fingerprint]').innerText()),
        rootFingerprint(), 'fingerprint on the onboarding page');
      const qrWidth = await page.locator('[data-testid=qr]').evaluate((el) =>
        (el.tagName === 'IMG' ? el.naturalWidth : el.getBoundingClientRect().width));
      h.expect(qrWidth > 50, `QR code not rendered (width ${qrWidth})`);
      await h.screenshot(page, args.artifacts, 'onboarding');
      // Platforms other than this browser's are folded away: open them all.
      await page.locator('details').evaluateAll((all) => all.forEach((d) => { d.open = true; }));
      for (const [testid, file] of [['download-mobileconfig', 'homeca-root.mobileconfig'],
        ['download-crt', 'homeca-root.crt'], ['download-cer', 'homeca-root.cer'],
        ['download-pem', 'homeca-root.pem']]) {
        const [download] = await Promise.all([page.waitForEvent('download'),
          page.click(`[data-testid=${testid}]`)]);
        h.expectEqual(download.suggestedFilename(), file, `file name of ${testid}`);
        await download.saveAs(path.join(downloads, file));
      }
    } finally {
      await browser.close();
    }
  });

  await t.step('the downloads are the root, with the right MIME types', async () => {
    const types = {
      'homeca-root.mobileconfig': ['application/x-apple-aspen-config'],
      'homeca-root.crt': ['application/x-x509-ca-cert'],
      // Windows takes either; RFC 2585 names pkix-cert.
      'homeca-root.cer': ['application/x-x509-ca-cert', 'application/pkix-cert'],
      'homeca-root.pem': ['application/x-pem-file'],
    };
    for (const [file, allowed] of Object.entries(types)) {
      const got = ((await contentType(homecad.onboardingUrl(`/${file}`))) || '').split(';')[0];
      h.expect(allowed.includes(got), `Content-Type of ${file}: ${got}`);
    }
    const der = path.join(downloads, 'from-profile.der');
    h.run(['python3', '-c', kPlistRoot, path.join(downloads, 'homeca-root.mobileconfig'), der]);
    const rootDer = path.join(downloads, 'root.der');
    h.run(['openssl', 'x509', '-in', homecad.rootPem, '-outform', 'DER', '-out', rootDer]);
    for (const file of [der, path.join(downloads, 'homeca-root.crt'),
      path.join(downloads, 'homeca-root.cer')]) {
      h.expect(fs.readFileSync(file).equals(fs.readFileSync(rootDer)), `${path.basename(file)} is not the root's DER`);
      const fp = h.run(['openssl', 'x509', '-inform', 'DER', '-in', file, '-noout', '-fingerprint',
        '-sha256']).stdout;
      h.expectEqual(admin.fingerprintHex(fp.split('=')[1]), rootFingerprint(), `fingerprint of ${path.basename(file)}`);
    }
    h.expectEqual(admin.fingerprint(path.join(downloads, 'homeca-root.pem')), rootFingerprint(),
      'fingerprint of the PEM download');
  });

  await t.step('with the downloaded root in the NSS store, the admin UI loads over HTTPS', async () => {
    const browser = await h.launchBrowser(playwright,
      { home: h.makeHome(path.join(downloads, 'homeca-root.crt')) });
    try {
      const page = await browser.newPage();
      const response = await page.goto(homecad.url('/'));
      // Not logged in: the admin UI answers with its login page.
      h.expectEqual(new URL(page.url()).pathname, '/login', 'page shown');
      h.expectEqual(response.status(), 200, 'status of /login');
      await page.locator('[data-testid=login-submit]').waitFor();
      const details = await response.securityDetails();
      h.expect(details, 'no TLS details for an https:// page');
      // homecad's certificate names the box's own .local name first (the one
      // its links use; it resolves over mDNS), then ca.home.arpa, which this
      // page was loaded by.
      h.expectEqual(details.subjectName, `${os.hostname().split('.')[0].toLowerCase()}.local`,
        'certificate subject');
      h.expect(/Intermediate CA/.test(details.issuer), `issuer ${details.issuer}`);
      await h.screenshot(page, args.artifacts, 'login-trusted');
    } finally {
      await browser.close();
    }
  });

  await t.step('without the root, Chromium refuses with ERR_CERT_AUTHORITY_INVALID', async () => {
    const browser = await h.launchBrowser(playwright, { home: h.makeHome(null) });
    try {
      const page = await browser.newPage();
      let error = null;
      try {
        await page.goto(homecad.url('/'));
      } catch (e) {
        error = e;
      }
      h.expect(error, 'the page loaded although the root is not trusted');
      h.expect(error.message.includes('net::ERR_CERT_AUTHORITY_INVALID'),
        `wrong error: ${error.message.split('\n')[0]}`);
    } finally {
      await browser.close();
    }
  });

  t.finish();
})();
