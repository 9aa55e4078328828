// Benchmark: a cold `n8n-setup export` (fresh process, new folder each run) against `node -e 0`.
// Target: median ratio ≤ 3. Exits non-zero when the target is missed. Needs `npm run build` first.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// BENCH_QUICK=1 (CI): 7 runs of each; BENCH_RUNS=N sets the count.
const RUNS = Number(process.env.BENCH_RUNS ?? (process.env.BENCH_QUICK === '1' ? 7 : 21));
const TARGET = 3;
// The installed command (bin/), as admins run it; it loads the single-file bundle from dist/.
const cli = 'bin/n8n-setup.js';
if (!existsSync('dist/n8n-setup.cjs')) {
  console.error('dist/n8n-setup.cjs is missing: run npm run build first.');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'n8n-setup-bench-'));
const profile = join(work, 'profile.json');
writeFileSync(
  profile,
  JSON.stringify({
    version: 1,
    email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@example.com>' },
    url: { public: 'https://n8n.example.com/' },
    deploy: { proxy: 'caddy', acmeEmail: 'ops@example.com' },
  }),
);

function time(args, input) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { input, stdio: ['pipe', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const baseline = [];
const exportRuns = [];
for (let i = 0; i < RUNS; i += 1) {
  baseline.push(time(['-e', '0']));
  exportRuns.push(time([cli, 'export', '--profile', profile, '--out', mkdtempSync(join(work, 'out-')), '--password-stdin', '--json'], 'bench-password\n'));
}
const ratio = median(exportRuns) / median(baseline);
console.log(`node ${execFileSync(process.execPath, ['--version']).toString().trim()}, ${RUNS} runs each`);
console.log(`node -e 0                 median ${median(baseline).toFixed(1)} ms`);
console.log(`n8n-setup export (cold)   median ${median(exportRuns).toFixed(1)} ms`);
console.log(`ratio ${ratio.toFixed(2)} (target ≤ ${TARGET}) ${ratio <= TARGET ? 'OK' : 'MISSED'}`);
process.exit(ratio <= TARGET ? 0 : 1);
