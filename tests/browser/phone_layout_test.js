// Every admin page at phone width (390x844) in a real Chromium against a
// real homecad with pairings and an API token: no page is wider than the
// screen (tables become one card per row),
// and times show in the viewer's own time zone (Chromium runs with
// TZ=Asia/Tokyo, nine hours from the UTC the server writes), with the UTC
// text kept as the tooltip. Screenshots of each page are saved.
//
// usage: node phone_layout_test.js --homecad PATH --homeca PATH --artifacts DIR
'use strict';

const h = require('./lib/harness');
const admin = require('./lib/admin');

const args = h.parseArgs(process.argv.slice(2), ['homecad', 'homeca', 'artifacts']);
const playwright = h.requireTools({ certutil: true });
const kPhone = { width: 390, height: 844 };
// Tokyo has no daylight saving time: always UTC+9.
process.env.TZ = 'Asia/Tokyo';

// The page's widest point against the screen's width, and the widest table
// inside its scrolling wrapper (a table that scrolls sideways hides columns
// as surely as a clipped page).
function widths(page) {
  return page.evaluate(() => ({
    content: document.scrollingElement.scrollWidth,
    screen: window.innerWidth,
    table: Math.max(0, ...Array.from(document.querySelectorAll('table'), (t) => t.scrollWidth)),
  }));
}

(async () => {
  const t = new h.Steps('phone_layout_test');
  const homecad = new h.Homecad(args.homecad);
  t.onFailure.push(async () => console.log(`homecad log:\n${homecad.log()}`));
  await t.step('homecad starts with a fresh CA', () => homecad.start());
  const phone = await h.launchBrowser(playwright, {
    home: h.makeHome(homecad.rootPem), viewport: kPhone, isMobile: true });
  const page = await phone.newPage();
  t.onFailure.push(async () => {
    console.log(`failure screenshot: ${await h.screenshot(page, args.artifacts, 'failure')}`);
  });

  await t.step('setup and login on the phone', async () => {
    await admin.completeSetup(page, await admin.setupLink(homecad));
    if (new URL(page.url()).pathname !== '/') await admin.login(page, homecad);
  });
  await t.step('a few rows for every table: pairings, a token, audit entries', async () => {
    for (const name of ['nas', 'printer-in-the-upstairs-office', 'camera']) {
      h.run([args.homeca, 'pair', 'add', '--name', name, `--data-dir=${homecad.dataDir}`]);
    }
    await page.goto(homecad.url('/settings'));
    await page.fill('#token-label', 'home automation on the shelf under the stairs');
    await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=create-token]')]);
  });

  // homecad's own certificate: the first on the list, the longest names.
  const certificate = await t.step('the certificate list links to each certificate', async () => {
    await page.goto(homecad.url('/certificates'));
    const href = await page.locator('a[href^="/certificates/"]').first().getAttribute('href');
    h.expect(href !== null, 'no certificate link');
    return href;
  });
  for (const [name, pathname] of [['overview', '/'], ['devices', '/devices'],
    ['add-device', '/devices/add'], ['manual-device', '/devices/manual'],
    ['pairing', '/pairings/2'], ['certificates', '/certificates'], ['certificate', certificate],
    ['trust', '/trust'], ['audit', '/audit'], ['settings', '/settings']]) {
    await t.step(`${pathname} fits a phone's width`, async () => {
      await page.goto(homecad.url(pathname));
      await page.waitForLoadState('load');
      const w = await widths(page);
      await h.screenshot(page, args.artifacts, `phone-${name}`);
      await h.expectNoHorizontalOverflow(page, pathname);
      h.expect(w.content <= w.screen, `${pathname} is ${w.content} px wide on a ${w.screen} px screen`);
      h.expect(w.table <= w.screen, `a table on ${pathname} is ${w.table} px wide on a ${w.screen} px screen`);
    });
  }

  await t.step('the audit log shows times in the viewer\'s zone, UTC in the tooltip', async () => {
    await page.goto(homecad.url('/audit'));
    const first = page.locator('[data-testid=audit-row] time').first();
    const iso = await first.getAttribute('datetime');
    const shown = (await first.innerText()).trim();
    const tooltip = await first.getAttribute('title');
    h.expect(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(iso), `datetime attribute ${iso}`);
    h.expect(/ UTC$/.test(tooltip || ''), `tooltip ${tooltip}`);
    h.expect(/GMT\+9/.test(shown), `shown as ${shown}`);
    const utcHour = Number(iso.slice(11, 13));
    const localHour = (utcHour + 9) % 24;
    const hour = shown.match(/(\d{1,2}):\d\d/);
    h.expect(hour !== null, `no hh:mm in ${shown}`);
    // 12-hour clocks (en-US) show 12 for 0 and 12, and 1..11 otherwise.
    const twelve = localHour % 12 === 0 ? 12 : localHour % 12;
    h.expect([localHour, twelve].includes(Number(hour[1])),
      `hour ${hour[1]} is not ${localHour} (UTC ${utcHour} + 9)`);
  });

  await t.step('the tables are cards with their column names on a phone', async () => {
    await page.goto(homecad.url('/audit'));
    const label = await page.locator('[data-testid=audit-row] td').first().getAttribute('data-label');
    h.expectEqual(label, 'When', 'label of the first audit cell');
    const display = await page.locator('[data-testid=audit-row]').first()
      .evaluate((row) => getComputedStyle(row).display);
    h.expectEqual(display, 'block', 'display of an audit row at phone width');
  });

  await phone.close();
  await homecad.stop();
  t.finish();
})();
