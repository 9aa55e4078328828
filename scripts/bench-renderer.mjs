/* global document */
// The wizard's startup cost against a blank React app built with the same Vite (npm run build first):
// JavaScript loaded until the first step is interactive (gzip), all renderer JavaScript (gzip), and time to
// interactive of both from the same Chromium run, each load in a fresh browser context (empty cache). Targets:
// first step ≤ 1.8× blank, all ≤ 3×. Exits 1 on a miss.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { testProgram } from './test-programs.mjs';

const REPO = join(import.meta.dirname, '..');
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// BENCH_QUICK=1 (CI): 3 loads of each page; the ratios come from the bundles, so they do not depend on it.
const RUNS = process.env.BENCH_QUICK === '1' ? 3 : 5;

async function buildBlank() {
  const root = join(REPO, 'out', 'bench-blank-src');
  const outDir = join(REPO, 'out', 'bench-blank');
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>blank</title></head><body><div id="root"></div><script type="module" src="./main.jsx"></script></body></html>');
  await writeFile(join(root, 'main.jsx'), "import { useState } from 'react';\nimport { createRoot } from 'react-dom/client';\nfunction App() { const [n, setN] = useState(0); return <main><h1>Blank</h1><button onClick={() => setN(n + 1)}>Next {n}</button></main>; }\ncreateRoot(document.getElementById('root')).render(<App />);\n");
  await build({ root, logLevel: 'silent', plugins: [react()], build: { outDir, emptyOutDir: true, minify: true } });
  await rm(root, { recursive: true, force: true });
  return outDir;
}

function serveFolder(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer(async (req, res) => {
    const path = join(dir, new URL(req.url, 'http://127.0.0.1').pathname.replace(/\/$/, '/index.html'));
    try {
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() })));
}

async function startWizard(home) {
  const child = spawn(process.execPath, [join(REPO, 'bin/n8n-setup.js'), 'serve', '--port', '0', '--no-open'], { env: { PATH: process.env.PATH, HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] });
  const link = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { link, stop: () => child.kill('SIGTERM') };
}

/**
 * Spends serve's one-time token once, as the first browser would, and returns the session cookie: each
 * measured load then gets a fresh context (empty cache) holding only that cookie.
 */
async function signIn(link) {
  const response = await fetch(link, { redirect: 'manual' });
  const setCookie = response.headers.get('set-cookie');
  const pair = /^([^=;\s]+)=([^;]*)/.exec(setCookie ?? '');
  if (!pair) throw new Error(`serve answered the sign-in link with ${response.status} and no session cookie`);
  const url = new URL('/', link).href;
  return { url, cookies: [{ name: pair[1], value: pair[2], url, httpOnly: true, sameSite: 'Strict' }] };
}

/** Loads the page in a fresh context; returns gzip bytes of JS fetched until `ready` holds, and the time to it. */
async function measure(browser, url, ready, cookies = []) {
  const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
  await context.addCookies(cookies);
  const page = await context.newPage();
  const scripts = new Map();
  page.on('response', async (response) => {
    if (response.request().resourceType() === 'script') scripts.set(response.url(), response.body().then((b) => gzipSync(b, { level: 9 }).length).catch(() => 0));
  });
  const started = Date.now();
  const response = await page.goto(url);
  if (!response?.ok()) throw new Error(`${url} answered ${response?.status()}: ${(await response?.text())?.slice(0, 300)}`);
  await page.waitForFunction(ready, undefined, { polling: 'raf', timeout: 15_000 });
  const ms = Date.now() - started;
  const loaded = [...scripts.keys()];
  const bytes = (await Promise.all([...scripts.values()])).reduce((a, b) => a + b, 0);
  await context.close();
  return { ms, bytes, files: loaded.length };
}

async function gzipOfFolder(dir) {
  let total = 0;
  for (const name of await readdir(dir)) if (name.endsWith('.js')) total += gzipSync(await readFile(join(dir, name)), { level: 9 }).length;
  return total;
}

const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];

const blankDir = await buildBlank();
const blank = await serveFolder(blankDir);
const home = await mkdtemp(join(tmpdir(), 'n8n-setup-bench-'));
const wizard = await startWizard(home);
const session = await signIn(wizard.link);
const browser = await chromium.launch({ executablePath: testProgram('chromium'), args: FLAGS });
try {
  const blankRuns = [];
  const wizardRuns = [];
  for (let i = 0; i < RUNS; i++) {
    blankRuns.push(await measure(browser, blank.url, () => document.querySelector('button') !== null));
    wizardRuns.push(await measure(browser, session.url, () => document.activeElement?.tagName === 'H1' && document.querySelector('.step-nav button.primary:not([disabled])') !== null, session.cookies));
  }
  const firstStep = wizardRuns[0].bytes;
  const blankBytes = blankRuns[0].bytes;
  const allWizard = await gzipOfFolder(join(REPO, 'out', 'renderer', 'assets'));
  const allBlank = await gzipOfFolder(join(blankDir, 'assets'));
  const firstRatio = firstStep / blankBytes;
  const allRatio = allWizard / allBlank;
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log('                       blank React   wizard      ratio   target');
  console.log(`JS to interactive (gz) ${kb(blankBytes).padEnd(13)} ${kb(firstStep).padEnd(11)} ${firstRatio.toFixed(2)}×   ≤ 1.8×`);
  console.log(`all renderer JS (gz)   ${kb(allBlank).padEnd(13)} ${kb(allWizard).padEnd(11)} ${allRatio.toFixed(2)}×   ≤ 3×`);
  console.log(`time to interactive    ${`${median(blankRuns.map((r) => r.ms))} ms`.padEnd(13)} ${`${median(wizardRuns.map((r) => r.ms))} ms`.padEnd(11)} (median of ${RUNS}, same Chromium)`);
  const missed = [firstRatio > 1.8 && 'first step JS over 1.8× blank', allRatio > 3 && 'all renderer JS over 3× blank'].filter(Boolean);
  if (missed.length) {
    console.error(`Missed: ${missed.join('; ')}.`);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  wizard.stop();
  blank.close();
  await rm(home, { recursive: true, force: true });
  await rm(blankDir, { recursive: true, force: true });
}
