// The CA certificates' constraints, judged by Chromium's own verifier. A CA
// made by the real `homeca init` lends its intermediate key to `openssl x509
// -req`, which mints leaves for ca.home.arpa; `openssl s_server` serves each
// with the intermediate, and Chromium (root trusted in a fresh NSS store)
// opens it. The control, a leaf the CA could have issued, must load: that
// rules out Chromium refusing everything under a constraint type it does not
// implement (URI). Leaves with a URI or an e-mail name must be refused. (A
// directoryName SAN or another organization in the subject is not refused:
// that needs a directoryName constraint, which Go refuses outright; see
// ca/hierarchy.cpp.)
//
// usage: node constraints_test.js --homeca PATH --artifacts DIR
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

const h = require('./lib/harness');

const args = h.parseArgs(process.argv.slice(2), ['homeca', 'artifacts']);
const playwright = h.requireTools({ certutil: true });

const kOrg = 'Test Home';
const kTlsEku = 'keyUsage = critical, digitalSignature\n' +
  'extendedKeyUsage = serverAuth, clientAuth\n';
const kLeaves = [
  { label: 'control', subject: `/O=${kOrg}/CN=${h.kHost}`, ok: true,
    ext: `${kTlsEku}subjectAltName = DNS:${h.kHost}\n` },
  { label: 'uri', subject: `/O=${kOrg}/CN=${h.kHost}`,
    ext: `${kTlsEku}subjectAltName = DNS:${h.kHost}, URI:https://accounts.example.com/\n` },
  { label: 'email', subject: `/O=${kOrg}/CN=${h.kHost}`,
    ext: `${kTlsEku}subjectAltName = DNS:${h.kHost}, email:alice@gmail.com\n` },
];

function freePort() {
  const r = h.run(['python3', '-c', 'import socket; s = socket.socket(); ' +
    's.bind(("127.0.0.1", 0)); print(s.getsockname()[1])']);
  return Number(r.stdout.trim());
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i += 1) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await h.sleep(50);
  }
  throw new Error(`openssl s_server did not listen on ${port}`);
}

(async () => {
  const t = new h.Steps('constraints_test');
  const dir = h.tempDir('constraints');
  const ca = path.join(dir, 'ca');
  await t.step('homeca init makes a CA', () => {
    h.run([args.homeca, 'init', '--org', kOrg, `--data-dir=${ca}`]);
  });

  const home = h.makeHome(path.join(ca, 'root.pem'));
  for (const leaf of kLeaves) {
    const title = leaf.ok ? `the ${leaf.label} leaf loads with no certificate error`
      : `Chromium refuses the ${leaf.label} leaf`;
    await t.step(title, async () => {
      const base = path.join(dir, leaf.label);
      h.run(['openssl', 'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
        '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', leaf.subject]);
      fs.writeFileSync(`${base}.cnf`, '[v3]\nsubjectKeyIdentifier = hash\n' +
        'authorityKeyIdentifier = keyid:always\nbasicConstraints = critical, CA:FALSE\n' +
        leaf.ext);
      h.run(['openssl', 'x509', '-req', '-in', `${base}.csr`, '-CA',
        path.join(ca, 'intermediate.pem'), '-CAkey', path.join(ca, 'intermediate-key.pem'),
        '-set_serial', `0x${Buffer.from(leaf.label).toString('hex')}`, '-days', '30', '-sha256',
        '-extfile', `${base}.cnf`, '-extensions', 'v3', '-out', `${base}.pem`]);
      const port = freePort();
      const server = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert',
        `${base}.pem`, '-key', `${base}.key`, '-cert_chain', path.join(ca, 'intermediate.pem'),
        '-www', '-quiet'], { stdio: 'ignore' });
      const browser = await h.launchBrowser(playwright, { home });
      try {
        await waitForPort(port);
        const page = await browser.newPage();
        let error = null;
        let response = null;
        try {
          response = await page.goto(`https://${h.kHost}:${port}/`);
        } catch (e) {
          error = e;
        }
        if (leaf.ok) {
          h.expect(!error, `the control did not load: ${error && error.message}`);
          h.expectEqual(response.status(), 200, 'status');
          await h.screenshot(page, args.artifacts, leaf.label);
        } else {
          h.expect(error, `the ${leaf.label} leaf loaded`);
          const code = (error.message.match(/net::ERR_[A-Z_]+/) || [error.message])[0];
          console.log(`     ${leaf.label}: ${code}`);
          h.expect(code.startsWith('net::ERR_CERT_'), `not a certificate error: ${error.message}`);
        }
      } finally {
        await browser.close();
        server.kill('SIGKILL');
      }
    });
  }
  t.finish();
})();
