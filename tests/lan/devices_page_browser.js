// The Devices page in a real headless Chromium, on the LAN in a box: run on
// the "ca" host (inside its namespaces) by a tests/lan/*_test.sh script,
// which has already logged the admin in with curl and hands over the session
// cookie. Chromium trusts only the CA's root (a fresh NSS store) and reaches
// homecad as ca.home.arpa, so the page loads over verified TLS.
//
// Checks: each --waiting ID has a [data-testid=waiting-row]; each --text
// string appears as text on the page (hostile names from the LAN render as
// text); no markup from the LAN became elements (no <script> or <img> in the
// tables, nothing ran).
//
// usage: node devices_page_browser.js --port P --root ROOT.pem --jar CURL_JAR
//          --artifacts DIR [--waiting ID]... [--text TEXT]...
// Exit: 0 passed, 1 failed, 77 skipped (no Chromium, no playwright-core).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const h = require('../browser/lib/harness');

function parse(argv) {
  const args = { waiting: [], text: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'waiting' || key === 'text') args[key].push(argv[i + 1]);
    else args[key] = argv[i + 1];
  }
  for (const r of ['port', 'root', 'jar', 'artifacts']) {
    if (!args[r]) {
      console.error(`missing --${r}`);
      process.exit(2);
    }
  }
  return args;
}

// The admin's session cookie from curl's cookie jar (Netscape format; curl
// marks HttpOnly cookies with a "#HttpOnly_" prefix).
function sessionCookie(jar) {
  for (const line of fs.readFileSync(jar, 'utf8').split('\n')) {
    const fields = line.replace(/^#HttpOnly_/, '').split('\t');
    if (fields.length === 7 && fields[5] === '__Host-homeca-session') return fields[6].trim();
  }
  throw new Error(`no session cookie in ${jar}`);
}

async function main() {
  const args = parse(process.argv.slice(2));
  const playwright = h.requireTools({ certutil: true });
  const steps = new h.Steps('devices page in Chromium (LAN)');
  const origin = `https://${h.kHost}:${args.port}`;
  const context = await h.launchBrowser(playwright, { home: h.makeHome(args.root) });
  await context.addCookies([{ name: '__Host-homeca-session', value: sessionCookie(args.jar),
    url: origin, secure: true, httpOnly: true, sameSite: 'Strict' }]);
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  steps.onFailure.push(() => h.screenshot(page, args.artifacts, 'failure'));

  await steps.step('the Devices page loads over verified TLS, logged in', async () => {
    const response = await page.goto(`${origin}/devices`);
    h.expectEqual(response.status(), 200, 'status of /devices');
    h.expectEqual(new URL(page.url()).pathname, '/devices', 'page after loading /devices');
  });
  for (const id of args.waiting) {
    await steps.step(`"${id}" is listed under Waiting to pair`, async () => {
      const row = page.locator('[data-testid=waiting-row]', { hasText: id });
      await row.first().waitFor({ state: 'visible' });
      h.expectEqual(await row.count(), 1, `waiting rows for ${id}`);
    });
  }
  for (const text of args.text) {
    await steps.step(`${JSON.stringify(text)} is shown as text`, async () => {
      const body = await page.locator('main').innerText();
      h.expect(body.includes(text), `the page text does not contain ${JSON.stringify(text)}`);
    });
  }
  await steps.step('nothing from the LAN became markup or ran', async () => {
    h.expectEqual(await page.locator('table script, table img, table b').count(), 0,
      'elements made from LAN text');
    h.expectEqual(dialogs.length, 0, `dialogs opened (${dialogs.join(', ')})`);
  });
  await h.screenshot(page, args.artifacts, 'devices');
  await context.close();
  steps.finish();
}

main().catch((e) => {
  console.log(`FAIL ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
