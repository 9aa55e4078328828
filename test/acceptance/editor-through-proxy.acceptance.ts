/**
 * `check --login` through real proxies in front of a real n8n (NODE_ENV=production, as in the image): Debian's
 * nginx and Caddy on loopback with a throwaway CA's certificate, running the configuration this tool writes.
 * The right configuration passes every check; each broken copy — nginx without the Upgrade headers, nginx
 * rewriting Host, a websocket location that does not strip the sub-path, a proxy with hops 0 in the setup,
 * plain http with a Secure cookie — gets its own finding and fix.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInstance } from '../../services/check/check-instance.js';
import { caddySiteAddress, caddySiteBlock } from '../../shared/proxy/caddyfile.js';
import { nginxServerBlock } from '../../shared/proxy/nginx-server-block.js';
import { publicUrlParts } from '../../shared/proxy/public-url.js';
import type { AcceptanceSetup } from './acceptance-setups.js';
import { freePorts } from './free-ports.js';
import { useRunningSetup } from './launch-setup.js';
import { useMailServers } from './mail-servers.js';
import { OWNER } from './n8n-rest.js';
import { preparedN8n } from './prepared-n8n.js';
import { startCaddy, startNginx, type RunningProxy } from './proxies.js';
import { runCli } from './run-cli.js';

const servers = useMailServers();
const port: Record<'nginx' | 'noUpgrade' | 'hostRewritten' | 'subPath' | 'caddy' | 'plainHttp', number> = { nginx: 0, noUpgrade: 0, hostRewritten: 0, subPath: 0, caddy: 0, plainHttp: 0 };
beforeAll(async () => {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = await freePorts(6);
  Object.assign(port, { nginx: a, noUpgrade: b, hostRewritten: c, subPath: d, caddy: e, plainHttp: f });
});

function behind(name: string, proxy: 'nginx' | 'caddy', publicUrl: () => string): AcceptanceSetup {
  return {
    name,
    profile: () => ({ email: { mode: 'none' }, url: { public: publicUrl() }, deploy: proxy === 'caddy' ? { proxy: 'caddy', acmeEmail: 'ops@example.com' } : { proxy: 'external' } }),
    secrets: {},
    get instanceUrl() {
      return publicUrl().replace(/\/$/, '');
    },
    publicRootsStandIn: true,
  };
}

/** Runs check as the admin does, trusting the throwaway CA as a browser on their machine would trust a real one. */
function check(args: string[], timeoutMs = 60_000) {
  return runCli(['check', ...args, '--json'], { stdin: OWNER.password, env: { NODE_EXTRA_CA_CERTS: servers().certificates.caFile }, timeoutMs });
}
const topics = (stdout: string): Record<string, string> => Object.fromEntries((JSON.parse(stdout || '{}').findings ?? []).map((f: { topic: string; code: string }) => [f.topic, f.code]));
// n8n allows 5 logins per email and minute: each n8n here gets at most that many.
const login = ['--login', OWNER.email, '--password-stdin'];

describe('n8n behind nginx, with the server block this tool writes', () => {
  const run = useRunningSetup(
    behind('nginx', 'nginx', () => `https://127.0.0.1:${port.nginx}/`),
    servers,
  );
  const proxies: RunningProxy[] = [];
  const upstream = () => new URL(run().n8n.url).host;
  const block = (url: string) => nginxServerBlock(publicUrlParts(url), upstream());
  beforeAll(async () => {
    await run().rest.setupOwner();
    const certificate = servers().certificates.valid;
    const right = block(`https://127.0.0.1:${port.nginx}/`);
    proxies.push(await startNginx(right, port.nginx, certificate));
    // The mistakes, each one line (or one location) away from the right file.
    const noUpgrade = block(`https://127.0.0.1:${port.noUpgrade}/`).replace(/^\s*proxy_(http_version 1\.1|set_header (Upgrade|Connection) .*);$/gm, '');
    proxies.push(await startNginx(noUpgrade, port.noUpgrade, certificate));
    const hostRewritten = block(`https://127.0.0.1:${port.hostRewritten}/`).replace(/^\s*proxy_set_header Host .*;$/m, '');
    proxies.push(await startNginx(hostRewritten, port.hostRewritten, certificate));
    const subPath = block(`https://127.0.0.1:${port.subPath}/n8n`).replace(
      /(\n\s*location \/n8n\/ \{)/,
      `\n    location /n8n/rest/push {\n        proxy_pass http://${upstream()};\n        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection "upgrade";\n        proxy_set_header Host $http_host;\n    }$1`,
    );
    proxies.push(await startNginx(subPath, port.subPath, certificate));
  });
  afterAll(async () => Promise.all(proxies.map((proxy) => proxy.stop())));

  it('the right configuration passes every check: links, cookie, proxy hops, and the editor’s live connection', async () => {
    const result = await check(['--url', `https://127.0.0.1:${port.nginx}`, '--profile', run().profileFile, ...login]);
    expect(topics(result.stdout), result.stderr).toEqual({ url: 'URL_MATCHES', smtp: 'SMTP_OFF_AS_EXPECTED', cookie: 'COOKIE_MATCHES', proxy: 'PROXY_HOPS_MATCH', push: 'PUSH_CONNECTED' });
    expect(JSON.parse(result.stdout).findings.find((f: { topic: string }) => f.topic === 'proxy').message).toMatch(/A proxy answers \(Server: nginx/);
    expect(result.code).toBe(0);
  });

  it('nginx without the Upgrade headers: n8n answers the websocket as a plain request (401), found with the nginx lines to add', async () => {
    const result = await check(['--url', `https://127.0.0.1:${port.noUpgrade}`, ...login]);
    expect(topics(result.stdout).push, result.stderr).toBe('PUSH_UPGRADE_NOT_FORWARDED');
    expect(result.code).toBe(3);
    const human = await runCli(['check', '--url', `https://127.0.0.1:${port.noUpgrade}`, ...login], { stdin: OWNER.password, env: { NODE_EXTRA_CA_CERTS: servers().certificates.caFile } });
    expect(human.stdout).toMatch(/MISMATCH n8n answered the editor's websocket as a plain request \(HTTP 401 "Unauthorized"/);
    expect(human.stdout).toMatch(/likely: nginx: the location lacks `proxy_http_version 1\.1;`/);
  });

  it('nginx rewriting Host (no `proxy_set_header Host`): n8n says "Invalid origin!" and closes with 1008, found with the Host line', async () => {
    const result = await check(['--url', `https://127.0.0.1:${port.hostRewritten}`, ...login]);
    const push = JSON.parse(result.stdout || '{}').findings?.find((f: { topic: string }) => f.topic === 'push');
    expect(push, result.stderr).toMatchObject({ code: 'PUSH_INVALID_ORIGIN', status: 'mismatch' });
    expect(push.message).toContain(`"Invalid origin!" (close 1008): the browser's Origin https://127.0.0.1:${port.hostRewritten} does not match`);
    expect(push.causes[0]).toMatch(/proxy_set_header Host \$host;/);
    expect(result.code).toBe(3);
  });

  it('a sub-path whose websocket location does not strip it: no answer within the timeout, found with the trailing-slash fix', async () => {
    const result = await check(['--url', `https://127.0.0.1:${port.subPath}/n8n`, '--timeout', '3', ...login]);
    expect(topics(result.stdout).push, result.stderr).toBe('PUSH_NO_ANSWER');
    expect(result.code).toBe(3);
  });

  it('a setup with no proxy hops reached through nginx: found (rate limits count all users together), no login needed', async () => {
    const hopsZero = join(run().outDir, '..', 'hops-zero.json');
    const profile = { version: 1, email: { mode: 'none' }, url: { public: `https://127.0.0.1:${port.nginx}/` } };
    writeFileSync(hopsZero, JSON.stringify(profile));
    const result = await runCli(['check', '--url', `https://127.0.0.1:${port.nginx}`, '--profile', hopsZero, '--json'], { env: { NODE_EXTRA_CA_CERTS: servers().certificates.caFile } });
    expect(topics(result.stdout).proxy, result.stderr).toBe('PROXY_HOPS_ZERO_BEHIND_PROXY');
    expect(result.code).toBe(3);
  });
});

describe('n8n behind Caddy, with the site block this tool writes', () => {
  const run = useRunningSetup(
    behind('caddy', 'caddy', () => `https://127.0.0.1:${port.caddy}/`),
    servers,
  );
  const proxies: RunningProxy[] = [];
  beforeAll(async () => {
    await run().rest.setupOwner();
    const upstream = new URL(run().n8n.url).host;
    const caddyUrl = publicUrlParts(`https://127.0.0.1:${port.caddy}/`);
    proxies.push(await startCaddy(caddySiteBlock({ address: caddySiteAddress(caddyUrl), pathPrefix: '', upstream }), port.caddy, servers().certificates.valid));
    // The same n8n (its cookie Secure, as an https public URL needs) also reached over plain http, by a name.
    proxies.push(await startNginx(nginxServerBlock(publicUrlParts(`http://n8n.example.test:${port.plainHttp}/`), upstream), port.plainHttp, servers().certificates.valid));
  });
  afterAll(async () => Promise.all(proxies.map((proxy) => proxy.stop())));

  it('the right configuration passes every check', async () => {
    const result = await check(['--url', `https://127.0.0.1:${port.caddy}`, '--profile', run().profileFile, ...login]);
    expect(topics(result.stdout), result.stderr).toEqual({ url: 'URL_MATCHES', smtp: 'SMTP_OFF_AS_EXPECTED', cookie: 'COOKIE_MATCHES', proxy: 'PROXY_HOPS_MATCH', push: 'PUSH_CONNECTED' });
    expect(result.code).toBe(0);
  });

  it('plain http with a Secure cookie: a browser drops the cookie, so the editor cannot connect; found with the fix', async () => {
    // A name (not localhost, which browsers treat as secure) that this check resolves to loopback.
    const report = await checkInstance(
      { url: `http://n8n.example.test:${port.plainHttp}`, login: { email: OWNER.email, password: OWNER.password } },
      { timeoutMs: 10_000, lookup: async () => [{ address: '127.0.0.1', family: 4 }] },
    );
    expect(Object.fromEntries(report.findings.map((f) => [f.topic, f.code]))).toMatchObject({ cookie: 'COOKIE_SECURE_OVER_HTTP', push: 'PUSH_SECURE_COOKIE_OVER_HTTP' });
    expect(report.ok).toBe(false);
  });

  it('the owner with two-factor login: without --mfa-code a clear refusal naming it; with the current code every check holds', async () => {
    // The authenticator app: n8n's own TOTP library (otpauth), from its installation.
    const { TOTP } = createRequire(join(preparedN8n().installDir, 'node_modules', 'n8n', 'package.json'))('otpauth') as { TOTP: new (options: object) => { generate(): string } };
    const code = (secret: string) => new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 }).generate();
    const secret = await run().rest.enableMfa(code);

    const url = `https://127.0.0.1:${port.caddy}`;
    const without = await runCli(['check', '--url', url, ...login], { stdin: OWNER.password, env: { NODE_EXTRA_CA_CERTS: servers().certificates.caFile } });
    expect(without.stderr).toMatch(/error: mfa-code: owner@example\.test has two-factor authentication on: n8n asks for a code\.\n {2}fix: Give the current code of the authenticator app with --mfa-code/);
    expect(without.code).toBe(1);

    const withCode = await check(['--url', url, '--profile', run().profileFile, ...login, '--mfa-code', code(secret)]);
    expect(topics(withCode.stdout).push, withCode.stderr).toBe('PUSH_CONNECTED');
    expect(withCode.code).toBe(0);
  });
});
