// A laptop on the LAN in a box opens paired devices by name, in a real
// headless Chromium WITHOUT --host-resolver-rules: the names resolve the way
// they would at home (the laptop's resolv.conf points at the CA host's
// dnsmasq, which reads homecad's export; .local goes through nss-mdns to the
// laptop's avahi-daemon). Chromium trusts only the CA's root (a fresh NSS
// store), so a load with no interstitial means the name resolved to the
// device and the device's certificate names it.
//
// usage: node names_browser.js --root ROOT.pem --artifacts DIR --url URL [--url URL]...
// Exit: 0 passed, 1 failed, 77 skipped (no Chromium, no playwright-core).
'use strict';

const h = require('../browser/lib/harness');

function parse(argv) {
  const args = { url: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'url') args.url.push(argv[i + 1]);
    else args[key] = argv[i + 1];
  }
  if (!args.root || !args.artifacts || args.url.length === 0) {
    console.error('usage: names_browser.js --root ROOT.pem --artifacts DIR --url URL...');
    process.exit(2);
  }
  return args;
}

async function main() {
  const args = parse(process.argv.slice(2));
  const playwright = h.requireTools({ certutil: true });
  const steps = new h.Steps('device names in Chromium on the laptop (LAN)');
  const context = await h.launchBrowser(playwright,
    { home: h.makeHome(args.root), systemResolver: true });
  const page = await context.newPage();
  steps.onFailure.push(() => h.screenshot(page, args.artifacts, 'failure'));
  for (const url of args.url) {
    await steps.step(`${url} loads with a padlock, no interstitial`, async () => {
      const response = await page.goto(url);
      h.expect(response, `no response for ${url}`);
      h.expectEqual(response.status(), 200, `status of ${url}`);
      const details = await response.securityDetails();
      h.expect(details, `no TLS details for ${url}`);
      h.expect(/Intermediate CA/.test(details.issuer), `issuer ${details.issuer}`);
      await h.screenshot(page, args.artifacts, new URL(url).hostname);
    });
  }
  await context.close();
  steps.finish();
}

main().catch((e) => {
  console.log(`FAIL ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
