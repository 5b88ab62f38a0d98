// Browser-side security checks on homecad's admin UI: hostile text renders
// as text (no dialog fires, nothing is injected), the Content-Security-Policy
// blocks inline script, framing is refused, the session cookie's flags, and
// a cross-site form post carries no session (SameSite=Strict).
//
// usage: node security_test.js --homecad PATH --homeca PATH --artifacts DIR
'use strict';

const http = require('node:http');
const https = require('node:https');
const fs = require('node:fs');
const tls = require('node:tls');

const h = require('./lib/harness');
const admin = require('./lib/admin');

const args = h.parseArgs(process.argv.slice(2), ['homecad', 'homeca', 'artifacts']);
const playwright = h.requireTools({ certutil: true });
const kHostile = '<img src=x onerror=alert(1)>';

// A plain-HTTP site on 127.0.0.1 serving whatever page it was last given.
function startSite() {
  let html = '';
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    server.unref();
    resolve({ serve: (page) => { html = page; return `http://127.0.0.1:${server.address().port}/`; } });
  }));
}

async function navigation(page, action) {
  await Promise.all([page.waitForEvent('framenavigated', (f) => f === page.mainFrame()), action()]);
  await page.waitForLoadState('load');
}

(async () => {
  const t = new h.Steps('security_test');
  const homecad = new h.Homecad(args.homecad);
  t.onFailure.push(async () => console.log(`homecad log:\n${homecad.log()}`));
  await t.step('homecad starts with a fresh CA', () => homecad.start());
  const browser = await h.launchBrowser(playwright, { home: h.makeHome(homecad.rootPem) });
  const page = await browser.newPage();
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  t.onFailure.push(async () => {
    console.log(`failure screenshot: ${await h.screenshot(page, args.artifacts, 'failure')}`);
  });

  const pairings = () => h.run([args.homeca, 'pair', 'list', '--json',
    `--data-dir=${homecad.dataDir}`]).stdout;

  await t.step('setup and login', async () => {
    await admin.completeSetup(page, await admin.setupLink(homecad));
    await admin.login(page, homecad);
  });

  await t.step('the session cookie is HttpOnly, Secure and SameSite=Strict', async () => {
    const cookies = await browser.cookies(homecad.url('/'));
    h.expect(cookies.length > 0, 'no cookie after login');
    for (const c of cookies) {
      h.expect(c.httpOnly && c.secure && c.sameSite === 'Strict',
        `cookie ${c.name}: httpOnly=${c.httpOnly} secure=${c.secure} sameSite=${c.sameSite}`);
    }
  });

  // Each place an outsider's text can reach a page: a refused device name
  // (echoed in the error), a search, a device's own id.
  const hostilePages = [
    ['a device named with markup', async () => {
      await page.goto(homecad.url('/devices/add'));
      await page.fill('#device-name', kHostile);
      await page.click('[data-testid=make-code]');
      await page.waitForLoadState('load');
    }],
    ['a search for markup', async () => {
      await page.goto(homecad.url(`/certificates?q=${encodeURIComponent(kHostile)}`));
      h.expectEqual(await page.inputValue('input[name=q]'), kHostile, 'search box value');
    }],
    ['a device id with markup', async () => {
      await page.goto(homecad.url('/devices/add'));
      await page.fill('#device-id', kHostile);
      await page.fill('#device-code', '1234-5678-9012');
      await page.fill('#armed-name', 'tv');
      await page.click('[data-testid=arm-device]');
      await page.waitForLoadState('load');
    }],
    ['an API token labelled with markup (stored, then listed)', async () => {
      await page.goto(homecad.url('/settings'));
      await page.fill('#token-label', kHostile);
      await page.click('[data-testid=create-token]');
      await page.waitForLoadState('load');
      await page.goto(homecad.url('/settings'));  // the stored label, listed again
      const labels = await page.locator('[data-testid=token-label]').allInnerTexts();
      h.expect(labels.map((l) => l.trim()).includes(kHostile), `token labels ${JSON.stringify(labels)}`);
    }],
  ];
  for (const [what, load] of hostilePages) {
    await t.step(`${what} renders as text: visible, no image, no dialog`, async () => {
      await load();
      await h.sleep(300);  // time for a broken image's onerror to fire
      h.expectEqual(dialogs.length, 0, `dialogs ${JSON.stringify(dialogs)}`);
      const injected = await page.locator('img[src=x], img[src="x"]').count();
      h.expectEqual(injected, 0, 'injected <img> elements');
      const body = await page.innerText('body');
      const shown = body.includes(kHostile) ||
        (await page.locator('input').evaluateAll((els, v) => els.some((e) => e.value === v), kHostile));
      h.expect(shown, `the text is not shown literally on ${page.url()}:\n${body.slice(0, 600)}`);
    });
  }
  await h.screenshot(page, args.artifacts, 'hostile-name');
  await t.step('no pairing carries the hostile name', () => {
    h.expect(!pairings().includes('<img'), 'the CA stored a pairing for a name with markup');
  });

  await t.step('the CSP blocks a script injected into a page', async () => {
    await page.goto(homecad.url('/'));
    const result = await page.evaluate(() => new Promise((resolve) => {
      const violations = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const s = document.createElement('script');
      s.textContent = 'window.homecaInlineRan = true;';
      document.body.appendChild(s);
      setTimeout(() => resolve({ ran: window.homecaInlineRan === true, violations }), 200);
    }));
    h.expect(!result.ran, 'an inline script ran');
    h.expect(result.violations.some((d) => d.startsWith('script-src')),
      `no script-src violation reported: ${JSON.stringify(result.violations)}`);
  });

  await t.step('every admin page sends CSP, anti-framing and HSTS headers', async () => {
    const cookie = await admin.cookieHeader(browser, homecad);
    for (const where of ['/login', '/', '/devices', '/certificates', '/settings']) {
      const r = await admin.request(homecad, where, { headers: { Cookie: cookie } });
      const csp = r.headers['content-security-policy'] || '';
      h.expect(/frame-ancestors 'none'/.test(csp), `${where}: CSP ${JSON.stringify(csp)}`);
      h.expect(!/unsafe-inline|unsafe-eval/.test(csp), `${where}: CSP allows inline: ${csp}`);
      h.expectEqual((r.headers['x-frame-options'] || '').toUpperCase(), 'DENY', `${where}: X-Frame-Options`);
      h.expect(/max-age=\d+/.test(r.headers['strict-transport-security'] || ''), `${where}: HSTS`);
      h.expectEqual(r.headers['x-content-type-options'], 'nosniff', `${where}: nosniff`);
    }
  });

  await t.step('a refused POST leaves its keep-alive connection clean (no request desync)', async () => {
    // One connection for both requests: a body the server refused without
    // reading must not be parsed as the start of the next request.
    // No TLS session cache: if the server closes, the retry is a full handshake.
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, maxCachedSessions: 0 });
    try {
      const refused = await admin.request(homecad, '/devices/add', { method: 'POST', agent,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'csrf=x&name=evil&ttl=10' });
      h.expectEqual(refused.status, 403, 'POST without a session');
      const next = await admin.request(homecad, '/login', { agent }).catch((e) => ({ status: e.message }));
      h.expectEqual(next.status, 200,
        'GET /login on the same connection after the refused POST (the unread body desynchronized it)');
    } finally {
      agent.destroy();
    }
  });

  await t.step('a client resuming its TLS session is served (curl and Node resume)', async () => {
    const connect = (session) => new Promise((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port: homecad.httpsPort, servername: h.kHost,
        ca: fs.readFileSync(homecad.rootPem), session, maxVersion: 'TLSv1.2' }, () => {
        const resumed = socket.isSessionReused();
        const saved = socket.getSession();
        socket.end();
        resolve({ ok: true, resumed, session: saved });
      });
      socket.on('error', (e) => resolve({ ok: false, error: e.message }));
    });
    // TLS 1.2 so the session is known right after the handshake.
    const first = await connect(undefined);
    h.expect(first.ok, `first handshake: ${first.error}`);
    const second = await connect(first.session);
    h.expect(second.ok, `resumed handshake refused: ${second.error}`);
  });

  // Another site: a page served from 127.0.0.1 by this test (no CSP of its
  // own), a different site from ca.home.arpa.
  const evilSite = await startSite();
  await t.step('another site cannot frame the admin UI', async () => {
    const framer = await browser.newPage();
    const lines = [];
    framer.on('console', (m) => lines.push(m.text()));
    await framer.goto(evilSite.serve(`<iframe src="${homecad.url('/login')}" width=600 height=400></iframe>`));
    await h.sleep(1500);
    const frame = framer.frames().find((f) => f !== framer.mainFrame());
    h.expect(frame, 'no child frame');
    const loaded = await frame.locator('#password').count().catch(() => 0);
    h.expectEqual(loaded, 0, 'the login form loaded inside a frame');
    h.expect(lines.some((l) => /frame-ancestors|X-Frame-Options/i.test(l)),
      `no framing refusal on the console: ${JSON.stringify(lines)}`);
    await h.screenshot(framer, args.artifacts, 'framed');
    await framer.close();
  });

  await t.step('a cross-site form post carries no session and changes nothing', async () => {
    // Even with the admin's real CSRF token (which another site cannot
    // know), the post must fail: SameSite=Strict keeps the session cookie home.
    await page.goto(homecad.url('/devices/add'));
    const csrf = await page.locator('form[action="/devices/add"] input[name=csrf]').inputValue();
    const before = pairings();
    const evil = await browser.newPage();
    await evil.goto(evilSite.serve(`<form method=post action="${homecad.url('/devices/add')}">
      <input name=csrf value="${csrf}"><input name=name value=evil><input name=ttl value=10></form>`));
    await navigation(evil, () => evil.evaluate(() => document.forms[0].submit()));
    h.expect(!/\/pairings\//.test(evil.url()), `a pairing was made from another site: ${evil.url()}`);
    h.expectEqual(pairings(), before, 'pairings after the cross-site post');
    await evil.close();
    // The same form from the admin's own page works, so the refusal above
    // was the cookie's doing.
    await page.fill('#device-name', 'evil');
    await navigation(page, () => page.click('[data-testid=make-code]'));
    h.expect(pairings() !== before, 'the admin could not make a pairing either');
  });

  await t.step('homecad is still up and stops cleanly', async () => {
    await browser.close();
    h.expect(homecad.running(), 'homecad died');
    h.expectEqual(await homecad.stop(), 0, 'homecad exit code');
  });
  t.finish();
})();
