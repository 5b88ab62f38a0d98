// Trust: the CA's root in Chromium's NSS store makes homecad's HTTPS load
// with no certificate error; a fresh store without it makes Chromium refuse
// with ERR_CERT_AUTHORITY_INVALID.
//
// usage: node trust_test.js --homecad PATH --artifacts DIR
'use strict';

const h = require('./lib/harness');

const args = h.parseArgs(process.argv.slice(2), ['homecad', 'artifacts']);
const playwright = h.requireTools({ certutil: true });

(async () => {
  const t = new h.Steps('trust_test');
  const homecad = new h.Homecad(args.homecad);
  t.onFailure.push(async () => console.log(`homecad log:\n${homecad.log()}`));
  await t.step('homecad starts on loopback with a fresh CA', () => homecad.start());

  await t.step('with the root in the NSS store, HTTPS loads with no certificate error', async () => {
    const browser = await h.launchBrowser(playwright, { home: h.makeHome(homecad.rootPem) });
    try {
      const page = await browser.newPage();
      const response = await page.goto(homecad.url('/healthz'));
      h.expectEqual(response.status(), 200, 'status of /healthz');
      h.expectEqual(await response.text(), '{"status":"ok"}', 'body of /healthz');
      const details = await response.securityDetails();
      h.expect(details, 'no TLS details for an https:// page');
      h.expectEqual(details.subjectName, h.kHost, 'certificate subject');
      h.expect(/Intermediate CA/.test(details.issuer), `issuer ${details.issuer}`);
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
        await page.goto(homecad.url('/healthz'));
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
