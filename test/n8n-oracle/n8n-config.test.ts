/**
 * The promise: what we export is exactly what n8n reads. Each profile is exported into a fresh folder,
 * read the way Compose hands it to the container, and loaded by n8n's own config loader.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { exportSetup } from '../../services/export/export-setup.js';
import { loadProfile } from '../../services/profile/read-profile-file.js';
import type { SecretFileVariable } from '../../shared/export/secret-files.js';
import { DOCKER_COMPOSE_V1, OPENSSL, requireTool } from '../support/external-tools.js';
import { readAsComposeV2, readWithDockerComposeV1 } from './load-like-compose.js';
import { instanceBaseUrl, loadLikeN8n, type N8nView } from './load-like-n8n.js';

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const HOSTILE_PASSWORD = `p@$$w0rd $HOME \${USER} it's "quoted" #hash \\back\\ tab\tend`;
let sourceDir: string;

beforeAll(() => {
  sourceDir = mkdtempSync(join(tmpdir(), 'n8n-oracle-src-'));
  mkdirSync(join(sourceDir, 'templates'));
  writeFileSync(join(sourceDir, 'templates/invite.html'), '<p>Join us: <a href="{{inviteAcceptUrl}}">accept</a></p>');
  writeFileSync(join(sourceDir, 'templates/reset.html'), '<p>Hi {{firstName}}, <a href="{{ passwordResetUrl }}">reset</a></p>');
  if (!OPENSSL.installed) return;
  execFileSync(OPENSSL.command, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Test CA', '-keyout', join(sourceDir, 'ca.key'), '-out', join(sourceDir, 'ca.pem')], { stdio: 'ignore' });
});
afterAll(() => rmSync(sourceDir, { recursive: true, force: true }));

interface Case {
  name: string;
  profile: Record<string, unknown>;
  secrets?: Partial<Record<SecretFileVariable, string>>;
  expect: (n8n: N8nView, dir: string) => void;
}

const smtp = (extra: Record<string, unknown> = {}) => ({
  mode: 'smtp',
  host: 'smtp.example.com',
  port: 587,
  security: 'starttls',
  auth: { type: 'password', user: 'apikey' },
  sender: 'n8n <n8n@example.com>',
  ...extra,
});
const caddy = { proxy: 'caddy', acmeEmail: 'ops@example.com' };

const cases: Case[] = [
  {
    name: 'STARTTLS on 587, password in .env, Caddy',
    profile: { email: smtp(), url: { public: 'https://n8n.example.com/' }, deploy: { ...caddy, timezone: 'Europe/Berlin' } },
    secrets: { N8N_SMTP_PASS: 'S3cret-pass' },
    expect: (n8n) => {
      expect(n8n.email.smtp).toMatchObject({ host: 'smtp.example.com', port: 587, secure: false, startTLS: true, sender: 'n8n <n8n@example.com>', auth: { user: 'apikey', pass: 'S3cret-pass' } });
      expect(n8n).toMatchObject({ host: 'n8n.example.com', protocol: 'https', path: '/', proxyHops: 1, secureCookie: true, timezone: 'Europe/Berlin' });
      expect(n8n.env.TZ).toBe('Europe/Berlin');
    },
  },
  {
    name: 'implicit TLS on 465, password as a Docker secret, Traefik',
    profile: { email: smtp({ port: 465, security: 'tls' }), url: { public: 'https://n8n.example.com' }, deploy: { proxy: 'traefik', acmeEmail: 'ops@example.com', secrets: 'file' } },
    secrets: { N8N_SMTP_PASS: 'file-secret' },
    expect: (n8n, dir) => {
      expect(n8n.email.smtp).toMatchObject({ port: 465, secure: true, startTLS: false, auth: { pass: 'file-secret' } });
      expect(readFileSync(join(dir, '.env'), 'utf8')).not.toMatch(/N8N_SMTP_PASS/);
    },
  },
  {
    name: 'no encryption, no login (internal relay), localhost',
    profile: { email: smtp({ port: 25, security: 'none', auth: { type: 'none' } }), url: { public: 'http://localhost:5678' } },
    expect: (n8n) => {
      expect(n8n.email.smtp).toMatchObject({ port: 25, secure: false, startTLS: false, auth: { user: '', pass: '' } });
      expect(n8n).toMatchObject({ protocol: 'http', host: 'localhost', proxyHops: 0, secureCookie: true });
    },
  },
  {
    name: 'Google service account, key in .env',
    profile: { email: smtp({ host: 'smtp.gmail.com', auth: { type: 'google-service-account', user: 'n8n@example.com', serviceClient: '123456789012345678901' } }), url: { public: 'https://n8n.example.com/' }, deploy: caddy },
    secrets: { N8N_SMTP_OAUTH_PRIVATE_KEY: privateKey },
    expect: (n8n) => {
      expect(n8n.email.smtp.auth).toMatchObject({ user: 'n8n@example.com', pass: '', serviceClient: '123456789012345678901', privateKey: privateKey.trim() });
    },
  },
  {
    name: 'Google service account, key as a Docker secret',
    profile: { email: smtp({ auth: { type: 'google-service-account', user: 'n8n@example.com', serviceClient: '42' } }), url: { public: 'https://n8n.example.com/' }, deploy: { ...caddy, secrets: 'file' } },
    secrets: { N8N_SMTP_OAUTH_PRIVATE_KEY: privateKey },
    expect: (n8n) => expect(n8n.email.smtp.auth.privateKey).toBe(privateKey.trim()),
  },
  {
    name: 'sub-path public URL behind an external proxy',
    profile: { email: smtp(), url: { public: 'https://example.com/tools/n8n' }, deploy: { proxy: 'external' } },
    secrets: { N8N_SMTP_PASS: 'x' },
    expect: (n8n) => {
      expect(n8n).toMatchObject({ host: 'example.com', path: '/tools/n8n/', editorBaseUrl: 'https://example.com/tools/n8n/', proxyHops: 1 });
    },
  },
  {
    name: 'custom invite and reset templates',
    profile: { email: smtp({ templates: { invite: { file: 'templates/invite.html' }, 'password-reset-requested': { file: 'templates/reset.html' } } }), url: { public: 'https://n8n.example.com/' }, deploy: caddy },
    secrets: { N8N_SMTP_PASS: 'x' },
    expect: (n8n, dir) => {
      const invite = n8n.email.template['user-invited'] ?? '';
      const reset = n8n.email.template['password-reset-requested'] ?? '';
      const view = readAsComposeV2(dir, 'compose.yaml');
      expect(readFileSync(view.paths.get(invite) ?? 'missing', 'utf8')).toBe(readFileSync(join(sourceDir, 'templates/invite.html'), 'utf8'));
      expect(readFileSync(view.paths.get(reset) ?? 'missing', 'utf8')).toBe(readFileSync(join(sourceDir, 'templates/reset.html'), 'utf8'));
    },
  },
  {
    name: 'private CA for the SMTP server',
    profile: { email: smtp({ caFile: 'ca.pem' }), url: { public: 'https://n8n.example.com/' }, deploy: caddy },
    secrets: { N8N_SMTP_PASS: 'x' },
    expect: (n8n) => {
      expect(readFileSync(n8n.env.NODE_EXTRA_CA_CERTS ?? 'missing', 'utf8')).toBe(readFileSync(join(sourceDir, 'ca.pem'), 'utf8'));
    },
  },
  {
    name: 'plain http public URL on a LAN name',
    profile: { email: smtp(), url: { public: 'http://n8n.lan:5678/' } },
    secrets: { N8N_SMTP_PASS: 'x' },
    expect: (n8n) => expect(n8n).toMatchObject({ protocol: 'http', host: 'n8n.lan', secureCookie: false, editorBaseUrl: 'http://n8n.lan:5678/' }),
  },
  {
    name: 'manual invite links (no email)',
    profile: { email: { mode: 'none' }, url: { public: 'https://n8n.example.com/' }, deploy: caddy },
    expect: (n8n, dir) => {
      expect(n8n.email.mode).toBe('');
      expect(n8n.inviteLinksEmailOnly).toBe(false);
      expect(readFileSync(join(dir, '.env'), 'utf8')).not.toMatch(/N8N_SMTP_/);
    },
  },
  {
    name: 'an image older than N8N_WEBHOOK_URL gets WEBHOOK_URL',
    profile: { email: smtp(), url: { public: 'https://n8n.example.com/' }, deploy: { ...caddy, image: 'docker.n8n.io/n8nio/n8n:1.90.2' } },
    secrets: { N8N_SMTP_PASS: 'x' },
    expect: (n8n) => {
      expect(n8n.webhookUrl).toBe('');
      expect(n8n.env.WEBHOOK_URL).toBe('https://n8n.example.com/');
    },
  },
  {
    name: 'a hostile password ($, quotes, #, backslashes, tab) arrives exactly',
    profile: { email: smtp(), url: { public: 'https://n8n.example.com/' }, deploy: caddy },
    secrets: { N8N_SMTP_PASS: HOSTILE_PASSWORD },
    expect: (n8n) => expect(n8n.email.smtp.auth.pass).toBe(HOSTILE_PASSWORD),
  },
  {
    name: 'quotes around a line break reach n8n as written (its loader strips quotes only without one inside)',
    profile: { email: smtp({ auth: { type: 'password', user: '"a\nb"' } }), url: { public: 'https://n8n.example.com/' }, deploy: caddy },
    secrets: { N8N_SMTP_PASS: "'\u2028'" },
    expect: (n8n) => expect(n8n.email.smtp.auth).toMatchObject({ user: '"a\nb"', pass: "'\u2028'" }),
  },
  {
    name: 'Cloudflare in front of Caddy: two proxy hops',
    profile: { email: smtp(), url: { public: 'https://n8n.example.com/', proxyHops: 2 }, deploy: caddy },
    secrets: { N8N_SMTP_PASS: 'x' },
    expect: (n8n) => expect(n8n.proxyHops).toBe(2),
  },
  {
    name: 'a new instance with a generated encryption key, in .env even when secrets are files (older n8n ignores N8N_ENCRYPTION_KEY_FILE)',
    profile: { email: smtp(), url: { public: 'https://n8n.example.com/' }, deploy: { ...caddy, secrets: 'file', encryptionKey: 'generate' } },
    secrets: { N8N_SMTP_PASS: 'x' },
    expect: (_n8n, dir) => {
      const view = readAsComposeV2(dir, 'compose.yaml');
      expect(view.environment.N8N_ENCRYPTION_KEY).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(view.environment.N8N_ENCRYPTION_KEY_FILE).toBeUndefined();
      expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600);
    },
  },
];

describe("n8n's own config loader reads the exported files", () => {
  it.for(cases.map((c) => [c.name, c] as const))('%s', async ([, testCase], context) => {
    requireTool(context, OPENSSL);
    requireTool(context, DOCKER_COMPOSE_V1);
    const outDir = mkdtempSync(join(tmpdir(), 'n8n-oracle-out-'));
    onTestFinished(() => rmSync(outDir, { recursive: true, force: true }));
    const loaded = loadProfile({ version: 1, ...testCase.profile }, sourceDir);
    await exportSetup({ loaded, outDir, secrets: testCase.secrets ?? {} });

    const v2 = readAsComposeV2(outDir, 'compose.yaml');
    const v1 = readWithDockerComposeV1(outDir, 'compose.yaml');
    expect(v1.environment, 'docker-compose v1 and the Compose v2 reading give the container the same environment').toEqual(v2.environment);
    expect(v1.paths, 'docker-compose v1 and the Compose v2 reading mount the same files').toEqual(v2.paths);

    const n8n = loadLikeN8n(v2);
    expect(n8n.warnings, 'n8n printed no warning about any variable').toEqual([]);
    const publicUrl = String((testCase.profile.url as { public: string }).public);
    const instance = publicUrl.replace(/\/+$/, '');
    expect(`${instanceBaseUrl(n8n)}/signup?token=abc`.startsWith(`${instance}/signup?token=`)).toBe(true);
    if (n8n.email.mode === 'smtp') expect(n8n.email.smtp.host).not.toBe('');
    testCase.expect(n8n, outDir);
  });

  it('covers at least twelve setups', () => expect(cases.length).toBeGreaterThanOrEqual(12));
});
