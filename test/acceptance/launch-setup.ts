/**
 * One setup from profile to a running n8n: the profile is exported with `exportSetup` into a fresh folder,
 * and n8n starts in the container view of that folder. The same view runs our CLI's
 * `smtp-test --from-env`, so both read the exact environment and files n8n reads.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { exportSetup } from '../../services/export/export-setup.js';
import { loadProfile } from '../../services/profile/read-profile-file.js';
import { CONTAINER } from '../../shared/n8n/n8n-variables.js';
import type { SmtpTestResult } from '../../shared/smtp/smtp-test-result.js';
import { CUSTOM_INVITE, CUSTOM_RESET, type AcceptanceSetup } from './acceptance-setups.js';
import { adminSpec, containerSpec, IN_CONTAINER, type ContainerSpec } from './container-view.js';
import type { MailServers } from './mail-servers.js';
import { freePorts } from './free-ports.js';
import { startN8n, type N8nInstance } from './n8n-instance.js';
import { N8nRest } from './n8n-rest.js';
import { preparedN8n } from './prepared-n8n.js';
import { runInContainer } from './run-in-container.js';

export interface RunningSetup {
  n8n: N8nInstance;
  rest: N8nRest;
  spec: ContainerSpec;
  /** The exported folder and the profile file that produced it. */
  outDir: string;
  profileFile: string;
  /** `smtp-test --from-env` in n8n's container view: its environment, its files, its user. */
  smtpTestFromEnv(to: string): Promise<SmtpTestRun>;
  /** `smtp-test --profile` as the admin runs it before exporting, with the password on stdin. */
  smtpTestFromProfile(to: string, password: string): Promise<SmtpTestRun>;
  stop(): Promise<void>;
}

export interface SmtpTestRun {
  code: number | null;
  /** The --json report: a test result, or `{ ok: false, error }` when the input was unusable. */
  report?: SmtpTestResult | { ok: false; error: { code: string; field?: string; message: string } };
  stdout: string;
  stderr: string;
}

export interface LaunchOptions {
  /** Changes the exported files before n8n starts: for deliberately broken setups. */
  adjustFiles?: (exportDir: string) => void;
  /** Edits the environment Compose would give n8n (the exported folder at hand): for deliberately broken setups. */
  adjustEnvironment?: (environment: Record<string, string>, exportDir: string) => void;
}

export async function launchSetup(setup: AcceptanceSetup, servers: MailServers, options: LaunchOptions = {}): Promise<RunningSetup> {
  const scratch = mkdtempSync(join(tmpdir(), 'n8n-acceptance-'));
  // uid 1000 must reach the mounted files through this folder, as it reaches them in a container.
  chmodSync(scratch, 0o755);
  try {
    const sourceDir = join(scratch, 'source');
    mkdirSync(join(sourceDir, 'templates'), { recursive: true });
    writeFileSync(join(sourceDir, 'templates/invite.html'), CUSTOM_INVITE);
    writeFileSync(join(sourceDir, 'templates/reset.html'), CUSTOM_RESET);
    const profile = { version: 1, ...setup.profile(servers, sourceDir) };
    const profileFile = join(sourceDir, 'profile.json');
    writeFileSync(profileFile, JSON.stringify(profile, null, 2));

    const outDir = join(scratch, 'export');
    await exportSetup({ loaded: loadProfile(profile, sourceDir), outDir, secrets: setup.secrets });
    options.adjustFiles?.(outDir);

    const installed = preparedN8n();
    const { spec, n8n: running } = await startN8nInFolder(outDir, scratch, {
      cliBundle: inject('cliBundle'),
      ...(setup.publicRootsStandIn && { publicRootsStandIn: servers.certificates.caFile }),
      ...(options.adjustEnvironment && { adjust: (environment: Record<string, string>) => options.adjustEnvironment?.(environment, outDir) }),
    });
    return {
      n8n: running,
      rest: new N8nRest(running.url),
      spec,
      outDir,
      profileFile,
      smtpTestFromEnv: (to) => smtpTest(spec, scratch, [IN_CONTAINER.node, IN_CONTAINER.cli, 'smtp-test', '--from-env', '--to', to, '--json']),
      smtpTestFromProfile: (to, password) =>
        smtpTest(adminSpec(scratch, setup.publicRootsStandIn ? servers.certificates.caFile : undefined), scratch, [installed.node, inject('cliBundle'), 'smtp-test', '--profile', profileFile, '--to', to, '--password-stdin', '--json'], password),
      async stop() {
        await running.stop();
        rmSync(scratch, { recursive: true, force: true });
      },
    };
  } catch (error) {
    // startN8n has stopped what it started.
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}

/**
 * n8n started on an exported folder, in its container view: the n8n_data volume in `scratch` (which uid 1000
 * must be able to traverse), on free loopback ports. Also for the wizard's end-to-end flow, which exports
 * with the app and then starts n8n on what it wrote.
 */
export async function startN8nInFolder(
  outDir: string,
  scratch: string,
  options: { cliBundle: string; publicRootsStandIn?: string; adjust?: (environment: Record<string, string>) => void },
): Promise<{ spec: ContainerSpec; n8n: N8nInstance }> {
  // The n8n_data volume: owned by the container's user, as the image's /home/node is.
  const home = join(scratch, 'home');
  mkdirSync(join(home, '.n8n'), { recursive: true, mode: 0o700 });
  chownSync(home, CONTAINER.uid, CONTAINER.uid);
  chownSync(join(home, '.n8n'), CONTAINER.uid, CONTAINER.uid);

  const installed = preparedN8n();
  const [port = 0, brokerPort = 0] = await freePorts(2);
  const spec = containerSpec(
    outDir,
    { scratch, home, n8nInstallDir: installed.installDir, node: installed.node, cliBundle: options.cliBundle },
    { port, brokerPort, ...(options.publicRootsStandIn && { publicRootsStandIn: options.publicRootsStandIn }) },
    { ...(options.adjust && { adjust: options.adjust }) },
  );
  return { spec, n8n: await startN8n(spec, scratch) };
}

/** One running n8n for the tests of the enclosing describe: launched before them, stopped after. */
export function useRunningSetup(setup: AcceptanceSetup, servers: () => MailServers, options: LaunchOptions = {}): () => RunningSetup {
  let running: RunningSetup | undefined;
  beforeAll(async () => {
    running = await launchSetup(setup, servers(), options);
  });
  afterAll(async () => running?.stop());
  return () => {
    if (!running) throw new Error(`n8n for "${setup.name}" is not running`);
    return running;
  };
}

async function smtpTest(spec: ContainerSpec, scratch: string, command: string[], input?: string): Promise<SmtpTestRun> {
  const run = await runInContainer(spec, scratch, command, 60_000, input);
  const json = run.stdout.trim().split('\n').at(-1);
  try {
    return json ? { ...run, report: JSON.parse(json) as SmtpTestRun['report'] } : run;
  } catch {
    return run;
  }
}
