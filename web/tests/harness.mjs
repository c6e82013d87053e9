// Starts the real ledger (`permitledger demo`) on a free port with the built
// pages, and Debian's Chromium through playwright-core. No mocks: every page
// talks to the real API of the real binary.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');
export const webDist = resolve(repo, 'web', 'dist');
export const shotsDir = resolve(repo, 'artifacts', 'screenshots');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 900 };

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// `permits` 0: a new ledger (`serve`), with no history and no tokens.
export async function startLedger({ permits = 60 } = {}) {
  const bin = resolve(repo, process.env.PERMITLEDGER_BIN ?? 'build/gateways/permitledger');
  if (!existsSync(bin)) throw new Error(`no ledger binary at ${bin}: build it or set PERMITLEDGER_BIN`);
  if (!existsSync(join(webDist, 'index.html'))) throw new Error(`no built pages in ${webDist}: run scripts/build-web.sh`);
  const data = mkdtempSync(join(tmpdir(), 'pl-web-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(
    bin,
    [
      ...(permits ? ['demo'] : ['serve']),
      '--data', join(data, 'ledger'), '--listen', `127.0.0.1:${port}`,
      ...(permits ? ['--permits', String(permits)] : []),
      '--web', webDist,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`permitledger exited (${child.exitCode}):\n${log}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`permitledger did not answer /healthz in 120 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const tokens = permits ? JSON.parse(readFileSync(join(data, 'ledger', 'demo-tokens.json'), 'utf8')) : null;
  return {
    base,
    tokens,
    admin: () => readFileSync(join(data, 'ledger', 'admin.token'), 'utf8').trim(),
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export async function startBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function newPage(browser, viewport = DESKTOP) {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    isMobile: viewport.width < 600,
    hasTouch: viewport.width < 600,
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.problems = problems;
  return page;
}

// The whole page into artifacts/screenshots/NAME.png, and its first screen
// into artifacts/screenshots/screen/NAME.png (the small ones docs/ shows).
export async function shot(page, name) {
  mkdirSync(join(shotsDir, 'screen'), { recursive: true });
  await page.evaluate(() => document.fonts?.ready);
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
  await page.screenshot({ path: join(shotsDir, 'screen', `${name}.png`) });
}

export async function api(base, path, { token, method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, headers: r.headers, json: await r.json().catch(() => null) };
}

// A working day a week ahead in Jakarta under the ledger's charter: a survey
// date schedule_survey accepts today.
export async function surveyDate(base) {
  const charter = (await api(base, '/v1/charter')).json;
  const day = new Date(Date.now() + charter.utc_offset_minutes * 60000);
  day.setUTCDate(day.getUTCDate() + 7);
  while ([0, 6].includes(day.getUTCDay()) || charter.holidays.includes(day.toISOString().slice(0, 10)))
    day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

let apps = 0;
// A fresh application through the real API, as the applicant would submit it.
export async function submitApplication(base, kelurahan, businessName) {
  apps += 1;
  const r = await api(base, '/v1/applications', {
    method: 'POST',
    body: {
      command_id: `web-test-${process.pid}-${Date.now()}-${apps}`,
      kelurahan,
      applicant: { nik: '3174011203850007', name: 'Uji Coba', address: 'Jl. Contoh 1', phone: '081200000000' },
      business: { name: businessName, kbli: '56103', description: 'warung makan', capital: 20000000, turnover: 150000000, workers: 2, premises: 'owned' },
      documents: ['form', 'undertaking', 'ktp', 'kk', 'premises_photo', 'premises_proof'],
    },
  });
  if (r.status !== 201) throw new Error(`application refused: ${JSON.stringify(r.json)}`);
  return r.json;
}
