// The admin's first steps, shared by the browser tests: the first-run setup
// link from homecad's log, setting the password, logging in; plus an HTTPS
// client outside the browser (for checks on headers and on a cookie the
// browser no longer has), trusting only the CA's root.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const https = require('node:https');

const h = require('./harness');

const kPassword = 'correct horse battery staple 42';

// The logged setup link, rewritten to the host name the browser uses (the
// log may name the address homecad listens on).
async function setupLink(homecad) {
  const m = await homecad.waitForLog(/first-run setup: (https:\/\/\S+\/setup\?token=[A-Za-z0-9_-]+)/);
  const link = new URL(m[1]);
  h.expectEqual(Number(link.port || 443), homecad.httpsPort, 'port in the setup link');
  return homecad.url(link.pathname + link.search);
}

// Sets the admin password through the setup page; leaves the page wherever
// the server sends it afterwards (/login, or / if it logs in at once).
async function completeSetup(page, link, password = kPassword) {
  const response = await page.goto(link);
  h.expectEqual(response.status(), 200, 'status of the setup page');
  await page.fill('#password', password);
  await page.fill('#password-confirm', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/setup')),
    page.click('[data-testid=setup-submit]')]);
}

async function login(page, homecad, password = kPassword) {
  if (new URL(page.url()).pathname !== '/login') await page.goto(homecad.url('/login'));
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login'),
    page.click('[data-testid=login-submit]')]);
  h.expectEqual(new URL(page.url()).pathname, '/', 'page after logging in');
}

// GET (or another method) on homecad's HTTPS listener by its name, trusting
// only the CA's root. Resolves {status, headers, body}; never follows
// redirects. `agent` (an https.Agent) shares one connection between calls.
function request(homecad, pathname, { method = 'GET', headers = {}, body, agent = false } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port: homecad.httpsPort, servername: h.kHost, path: pathname, method,
      headers: { Host: `${h.kHost}:${homecad.httpsPort}`, ...headers },
      ca: fs.readFileSync(homecad.rootPem), checkServerIdentity: () => undefined,
      agent, timeout: 10000,
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { data += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`timeout on ${pathname}`)));
    if (body) req.write(body);
    req.end();
  });
}

// Pairs a device with the real homeca-enroll (`enroll`, its path) by `code`,
// given on stdin (never in argv), into `dir`. Resolves {code (exit), output}.
function pairDevice(enroll, homecad, code, dir) {
  return new Promise((resolve) => {
    const child = spawn(enroll, ['pair', '--code', '-', '--ca', homecad.deviceUrl(), '--dir', dir],
      { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('exit', (exit) => resolve({ code: exit, output }));
    child.stdin.end(`${code}\n`);
  });
}

// The Cookie header value for the browser's cookies on the admin host.
async function cookieHeader(context, homecad) {
  const cookies = await context.cookies(homecad.url('/'));
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

// SHA-256 fingerprint of a PEM certificate, upper-case hex without colons.
function fingerprint(pemFile) {
  const out = h.run(['openssl', 'x509', '-in', pemFile, '-noout', '-fingerprint', '-sha256']).stdout;
  return fingerprintHex(out.split('=')[1]);
}

// A fingerprint as displayed (colons, spaces, line breaks) as upper-case
// hex digits. Every byte counts: a fingerprint starting 03: keeps its 0.
function fingerprintHex(text) {
  return text.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
}

// A serial number as upper-case hex without leading zeros: it is an integer,
// and `openssl x509 -serial` pads it to whole bytes where the UI may not.
function serialHex(text) {
  return fingerprintHex(text).replace(/^0+/, '');
}

module.exports = {
  kPassword, completeSetup, cookieHeader, fingerprint, fingerprintHex, login, pairDevice, request,
  serialHex, setupLink,
};
