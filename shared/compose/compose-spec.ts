/**
 * What the n8n service in the compose file should hold: the input of `buildComposeFile`. Values are
 * literal (this module spells them for Compose); the spec is checked here before any file is touched.
 */
import { SetupError } from '../errors.js';

export interface N8nServiceSpec {
  image: string;
  envFile: string;                       // '.env'
  environment: Record<string, string>;   // values for compose `environment:` (paths, TZ, fallbacks) — literal values
  managedEnvironment: readonly string[]; // every key this tool manages: remove those not in `environment`
  secrets: ReadonlyArray<{ name: string; file: string }>;  // top-level secrets {name: {file}}, service `secrets: [name]`
  mounts: ReadonlyArray<{ source: string; target: string; readOnly: boolean }>; // bind mounts (templates, CA)
  ports: readonly string[];              // e.g. ['5678:5678'] or ['127.0.0.1:5678:5678'] or [] behind caddy/traefik
  /** "platform": a PaaS (Coolify, Dokploy, CapRover…) routes to the container, so nothing is published. */
  proxy: { kind: 'none' | 'external' | 'platform' } | { kind: 'caddy' | 'traefik'; host: string; acmeEmail: string; pathPrefix?: string };
}

export type ProxySpec = N8nServiceSpec['proxy'];
export type BundledProxySpec = Extract<ProxySpec, { kind: 'caddy' | 'traefik' }>;

/**
 * The compose secret that carries `variable` through `VARIABLE_FILE`: `N8N_SMTP_PASS` → `n8n_smtp_pass`.
 * A secret belongs to this tool when it is named so after a managed `…_FILE` variable; that is how a
 * secret the spec no longer lists is recognised and removed, and why the spec must use these names.
 */
export function composeSecretName(variable: string): string {
  return variable.toLowerCase();
}

/** The secret names this tool may add or remove: those of managed (or written) `…_FILE` variables. */
export function ownedSecretNames(spec: N8nServiceSpec): Set<string> {
  const keys = [...spec.managedEnvironment, ...Object.keys(spec.environment)];
  return new Set(keys.filter((key) => key.endsWith('_FILE')).map((key) => composeSecretName(key.slice(0, -'_FILE'.length))));
}

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Throws a SetupError (INVALID_ARGUMENT) when the spec cannot be written as asked. */
export function assertValidSpec(spec: N8nServiceSpec): void {
  const fail = (message: string, fix: string): never => {
    throw new SetupError({ code: 'INVALID_ARGUMENT', message, fix });
  };
  for (const key of [...Object.keys(spec.environment), ...spec.managedEnvironment]) {
    if (!ENV_KEY.test(key)) fail(`"${key}" is not a usable environment variable name.`, 'Use letters, digits and _ only, not starting with a digit.');
  }
  if (spec.image.trim() === '') fail('The n8n image is empty.', 'Set an image such as docker.n8n.io/n8nio/n8n.');
  const owned = ownedSecretNames(spec);
  for (const { name } of spec.secrets) {
    if (!owned.has(name)) {
      fail(
        `The compose secret "${name}" is not named after a managed …_FILE variable.`,
        'Name each secret with composeSecretName(variable) and list VARIABLE_FILE in managedEnvironment.',
      );
    }
  }
  for (const { target } of spec.mounts) {
    if (!target.startsWith('/')) fail(`The mount target "${target}" is not an absolute container path.`, 'Use a path such as /opt/n8n-templates.');
  }
  if (spec.proxy.kind === 'caddy' || spec.proxy.kind === 'traefik') {
    if (!/^[A-Za-z0-9.-]+$/.test(spec.proxy.host)) fail(`"${spec.proxy.host}" is not a host name.`, 'Give the public host name only, such as n8n.example.com.');
    if (spec.proxy.pathPrefix !== undefined && !/^(\/[A-Za-z0-9._~-]+)+\/?$/.test(spec.proxy.pathPrefix)) {
      fail(`"${spec.proxy.pathPrefix}" is not a usable sub-path.`, 'Use a path such as /n8n/ (letters, digits, . _ ~ -).');
    }
  }
}
