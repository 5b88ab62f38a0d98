// Shared support for homeca's browser tests: command-line arguments, the skip
// rule, temporary directories, a real homecad on loopback, Debian's headless
// Chromium with a fresh profile (and optionally the CA's root in a fresh NSS
// store), screenshots, and a tiny step runner that reports and exits.
//
// Exit codes: 0 passed, 1 failed, 77 skipped (ctest SKIP_RETURN_CODE).
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const kSkip = 77;
const kChromium = '/usr/bin/chromium';
// The flags every homeca test gives Chromium (running as root in CI, no GPU,
// no traffic of its own to anywhere but loopback).
const kChromiumFlags = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
// homecad's own certificate is for ca.home.arpa; the browser reaches it there.
const kHost = 'ca.home.arpa';
// ...and, first, for the box's own .local name (the CA permits .local by
// default): the name every link homecad prints or shows uses.
const kBoxHost = `${os.hostname().split('.')[0].toLowerCase()}.local`;
// User agents of the phones a household has (Safari on an iPhone, Chrome on
// an Android phone), for pages that adapt to the visitor's platform.
const kUserAgents = {
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 ' +
    '(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  android: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) ' +
    'Chrome/126.0.0.0 Mobile Safari/537.36',
};
// A phone's viewport (an iPhone 12-15's CSS pixels).
const kPhone = { width: 390, height: 844 };

function skip(reason) {
  console.log(`SKIP: ${reason}`);
  process.exit(kSkip);
}

// --name value pairs into an object; every test needs --artifacts.
function parseArgs(argv, required) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      console.error(`usage: node ${path.basename(process.argv[1])} ${required.map((r) => `--${r} X`).join(' ')}`);
      process.exit(2);
    }
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const r of required) {
    if (!args[r]) {
      console.error(`missing --${r}`);
      process.exit(2);
    }
  }
  // Only this run's screenshots in the artifacts folder.
  if (args.artifacts) fs.rmSync(args.artifacts, { recursive: true, force: true });
  return args;
}

// Skips (exit 77) with the reason when something a browser test needs is not
// installed here; CI installs all of it (.ci/deps, .ci/browser-deps).
function requireTools({ certutil = false } = {}) {
  try {
    fs.accessSync(kChromium, fs.constants.X_OK);
  } catch {
    skip(`${kChromium} is not installed (apt-get install chromium)`);
  }
  try {
    require.resolve('playwright-core', { paths: [path.join(__dirname, '..')] });
  } catch {
    skip('tests/browser/node_modules is missing (run: npm ci --prefix tests/browser)');
  }
  if (certutil && spawnSync('certutil', ['-H'], { stdio: 'ignore' }).error) {
    skip('certutil is not installed (apt-get install libnss3-tools)');
  }
  return require(require.resolve('playwright-core', { paths: [path.join(__dirname, '..')] }));
}

// Temporary directories removed when the test exits (unless KEEP_TMP=1).
const tempDirs = [];
function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `homeca-browser-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

// Processes this test started, stopped by PID when it exits.
const children = new Set();
function stopAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  if (process.env.KEEP_TMP !== '1') {
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}
process.on('exit', stopAll);

// A free TCP port on 127.0.0.1 (bound and released: good enough for tests).
function freePort() {
  const r = run(['python3', '-c', 'import socket; s = socket.socket(); ' +
    's.bind(("127.0.0.1", 0)); print(s.getsockname()[1])']);
  return Number(r.stdout.trim());
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Runs a program to completion; throws with its stderr unless it exits 0
// (or `allowFail`).
function run(argv, { env, input, allowFail = false } = {}) {
  const r = spawnSync(argv[0], argv.slice(1), {
    env: env ? { ...process.env, ...env } : process.env,
    input, encoding: 'utf8', timeout: 120000,
  });
  if (r.error) throw r.error;
  if (!allowFail && r.status !== 0) {
    throw new Error(`${argv.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  }
  return r;
}

// A real homecad --dev on loopback with a fresh data directory; both ports
// are picked by the kernel (port 0) and read back from its log.
class Homecad {
  constructor(binary, { extraArgs = [] } = {}) {
    this.dir = tempDir('homecad');
    this.dataDir = path.join(this.dir, 'ca');
    this.logFile = path.join(this.dir, 'homecad.log');
    // The onboarding listener (--http-port) came with the web UI; older
    // builds serve HTTPS only.
    const help = run([binary, '--help'], { allowFail: true }).stdout;
    // HTTPS on a port picked here, not 0: homecad tells devices its renewal
    // URL from the configured port.
    const ports = [`--https-port=${freePort()}`,
      ...(help.includes('--http-port') ? ['--http-port=0'] : [])];
    const out = fs.openSync(this.logFile, 'w');
    this.process = spawn(binary, ['--dev', `--data-dir=${this.dataDir}`, ...ports, ...extraArgs],
      { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    children.add(this.process);
  }

  log() {
    return fs.readFileSync(this.logFile, 'utf8');
  }

  running() {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  // Waits for `pattern` (a RegExp) in the log; returns its match.
  async waitForLog(pattern, timeoutMs = 20000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const m = this.log().match(pattern);
      if (m) return m;
      if (!this.running()) break;
      await sleep(50);
    }
    throw new Error(`homecad never logged ${pattern}:\n${this.log()}`);
  }

  async start() {
    // "root CA:" comes after every listener's line.
    await this.waitForLog(/^root CA: /m);
    const https = this.log().match(/homecad listening on https:\/\/[^:]+:(\d+)/);
    this.httpsPort = Number(https[1]);
    const http = this.log().match(/homecad onboarding at http:\/\/[^:]+:(\d+)\//);
    this.httpPort = http ? Number(http[1]) : null;
    this.rootPem = path.join(this.dataDir, 'root.pem');
    if (!fs.existsSync(this.rootPem)) throw new Error(`no ${this.rootPem}`);
    return this;
  }

  // The admin UI as the browser sees it (the name in homecad's certificate).
  url(pathname = '/') {
    return `https://${kHost}:${this.httpsPort}${pathname}`;
  }

  onboardingUrl(pathname = '/') {
    return `http://127.0.0.1:${this.httpPort}${pathname}`;
  }

  // Enrollment as the device CLI reaches it: by address, like tests/e2e.
  deviceUrl() {
    return `https://127.0.0.1:${this.httpsPort}`;
  }

  async stop() {
    if (!this.running()) return this.process.exitCode;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (this.running()) this.process.kill('SIGKILL');
    children.delete(this.process);
    return this.process.exitCode;
  }
}

// A fresh HOME for Chromium with an empty NSS database, holding `rootPem` as
// a trusted CA when given. The machine's own $HOME is never touched.
function makeHome(rootPem) {
  const home = tempDir('home');
  const nssdb = path.join(home, '.pki', 'nssdb');
  fs.mkdirSync(nssdb, { recursive: true });
  run(['certutil', '-N', '-d', `sql:${nssdb}`, '--empty-password']);
  if (rootPem) {
    run(['certutil', '-A', '-d', `sql:${nssdb}`, '-t', 'C,,', '-n', 'homeca', '-i', rootPem]);
    const listed = run(['certutil', '-L', '-d', `sql:${nssdb}`]).stdout;
    if (!/homeca\s+C,,/.test(listed)) throw new Error(`root not in the NSS store:\n${listed}`);
  }
  return home;
}

// Headless Chromium with a fresh profile, HOME (and so NSS store) `home`,
// and homecad's names (ca.home.arpa and the box's .local name) mapped to
// loopback, unless `systemResolver`: then names resolve as on a real machine
// (its resolv.conf and nsswitch.conf, so mDNS for .local), which the
// LAN-in-a-box journey needs. `userAgent`: one of kUserAgents, say.
async function launchBrowser(playwright, { home, viewport = { width: 1280, height: 800 },
  isMobile = false, systemResolver = false, userAgent } = {}) {
  const profile = tempDir('profile');
  const resolverRules = systemResolver ? []
    : [`--host-resolver-rules=MAP ${kHost} 127.0.0.1, MAP ${kBoxHost} 127.0.0.1`];
  const context = await playwright.chromium.launchPersistentContext(profile, {
    executablePath: kChromium,
    headless: true,
    args: [...kChromiumFlags, ...resolverRules],
    env: { ...process.env, HOME: home || makeHome(null) },
    viewport,
    isMobile,
    hasTouch: isMobile,
    ...(userAgent ? { userAgent } : {}),
    deviceScaleFactor: 1,
    timeout: 30000,
  });
  context.setDefaultTimeout(10000);
  return context;
}

// Saves a full-page screenshot as ARTIFACTS/NAME.png and returns its path.
async function screenshot(page, artifacts, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// Layout check for every page at phone width: nothing sticks out sideways
// (a page wider than the screen scrolls sideways and clips tables). Throws
// naming the widest offenders.
async function expectNoHorizontalOverflow(page, what = page.url()) {
  const layout = await page.evaluate(() => {
    const width = window.innerWidth;
    const scrollWidth = document.scrollingElement.scrollWidth;
    const wide = [];
    if (scrollWidth > width) {
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1) {
          wide.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` +
            `${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ''} right=${Math.round(r.right)}`);
        }
      }
    }
    return { width, scrollWidth, wide: wide.slice(0, 5) };
  });
  if (layout.scrollWidth > layout.width) {
    throw new Error(`${what}: page is ${layout.scrollWidth}px wide in a ${layout.width}px ` +
      `viewport (overflowing: ${layout.wide.join(', ')})`);
  }
}

// Asserts that `locator`'s element lies within the first screen (no
// scrolling needed to see it) of `page`'s viewport.
async function expectAboveTheFold(page, locator, what) {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${what}: not visible`);
  const { height } = page.viewportSize();
  const scrolled = await page.evaluate(() => window.scrollY);
  if (scrolled !== 0 || box.y < 0 || box.y + box.height > height) {
    throw new Error(`${what}: at y=${Math.round(box.y)}..${Math.round(box.y + box.height)} ` +
      `(scrolled ${scrolled}), the screen is ${height}px tall`);
  }
}

// Runs named steps in order; the first failure stops the test. Prints one
// line per step and the closing "N passed, N failed" line, then exits.
class Steps {
  constructor(name) {
    this.name = name;
    this.passed = 0;
    this.onFailure = [];
  }

  async step(title, fn) {
    const start = Date.now();
    try {
      const result = await fn();
      this.passed += 1;
      console.log(`ok   ${title} (${Date.now() - start} ms)`);
      return result;
    } catch (e) {
      console.log(`FAIL ${title}: ${e && e.stack ? e.stack : e}`);
      for (const hook of this.onFailure) {
        try {
          await hook();
        } catch (hookError) {
          console.log(`  (while collecting evidence: ${hookError.message})`);
        }
      }
      this.finish(1);
    }
    return undefined;
  }

  finish(failed = 0) {
    console.log(`${this.name}: ${this.passed} passed, ${failed} failed`);
    stopAll();
    process.exit(failed ? 1 : 0);
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

function expectEqual(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

module.exports = {
  kBoxHost, kHost, kPhone, kSkip, kUserAgents, Homecad, Steps, expect, expectAboveTheFold,
  expectEqual, expectNoHorizontalOverflow, launchBrowser, makeHome, parseArgs, requireTools, run,
  screenshot, skip, sleep, tempDir,
};
