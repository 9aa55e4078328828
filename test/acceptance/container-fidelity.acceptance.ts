/**
 * The container view is faithful where Docker is strict: files keep their host owner and mode, and n8n runs
 * as uid 1000. A secret that uid cannot read must stop n8n here as it does in a container — otherwise a
 * green tier would prove nothing about file permissions.
 */
import { chownSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETUPS, type AcceptanceSetup } from './acceptance-setups.js';
import { launchSetup } from './launch-setup.js';
import { useMailServers } from './mail-servers.js';

const dockerSecret = SETUPS.find((s) => s.name.includes('Docker secret')) as AcceptanceSetup;

const servers = useMailServers();

describe('the container view', () => {
  it('stops n8n at start when uid 1000 cannot read a secret file, as Docker does', async () => {
    const failure = await launchSetup(dockerSecret, servers(), {
      // What an export by a non-root admin without the 0644-in-a-0700-folder rule would leave: root's 0600 file.
      adjustFiles: (dir) => chownSync(join(dir, 'secrets/n8n_smtp_pass'), 0, 0),
    }).then(
      async (run) => {
        await run.stop();
        return undefined;
      },
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toMatch(/exited \(\w+\) before it was ready/);
    expect(failure?.message).toMatch(/EACCES|permission denied/i);
    expect(failure?.message).toContain('/run/secrets/n8n_smtp_pass');
  });
});
