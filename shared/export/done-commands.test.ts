import { execFileSync } from 'node:child_process';
import { testProgram } from '../../scripts/test-programs.mjs';
import { describe, expect, it } from 'vitest';
import { doneCommands, shellWord } from './done-commands.js';

const files = ['.env', 'compose.yaml', 'tools/n8n-setup.cjs', 'proxy/n8n.conf', 'n8n-variables.txt'];

describe('doneCommands', () => {
  it('runs docker compose as the folder holds it (never a -f that would drop files), and names the main service', () => {
    const plain = doneCommands({ project: { composeFile: 'compose.yaml', service: 'n8n' }, files, to: 'ops+n8n@example.com', smtp: true });
    expect(plain.up).toBe('docker compose up -d');
    expect(plain.hostTest).toBe('node tools/n8n-setup.cjs smtp-test --env .env --compose compose.yaml --to ops+n8n@example.com');
    expect(plain.containerTest).toBe('docker compose cp tools/n8n-setup.cjs n8n:/tmp/n8n-setup.cjs && docker compose exec n8n node /tmp/n8n-setup.cjs smtp-test --from-env --to ops+n8n@example.com');
    // A project .env's COMPOSE_FILE lists n8n-stack.yml and more: Compose reads that list itself.
    const named = doneCommands({ project: { composeFile: 'n8n-stack.yml', service: 'n8n-main' }, files, to: 'a@b.co', smtp: true });
    expect(named.up).toBe('docker compose up -d');
    expect(named.hostTest).toContain('--compose n8n-stack.yml');
    expect(named.containerTest).toContain('docker compose exec n8n-main node');
  });

  it('says where each proxy file goes, and nothing about files that are not proxy files', () => {
    const done = doneCommands({ project: { composeFile: 'compose.yaml', service: 'n8n' }, files, to: '', smtp: false });
    expect(done.proxy.map((p) => p.file)).toEqual(['proxy/n8n.conf']);
    expect(done.proxy[0]!.use).toMatch(/nginx -t/);
    expect(done.hostTest).toBeUndefined();
  });

  it('without the single-file CLI in the folder, falls back to an installed n8n-setup and says so', () => {
    const done = doneCommands({ project: { composeFile: 'compose.yaml', service: 'n8n' }, files: ['.env'], to: 'a@b.co', smtp: true });
    expect(done.toolMissing).toBe(true);
    expect(done.hostTest).toMatch(/^n8n-setup smtp-test/);
    expect(done.containerTest).toBeUndefined();
  });

  it.each(["it's", 'a b', '$(touch /tmp/x)', '`id`', 'x;y', 'ü@example.com', "'"])('quotes %j so that sh hands it over unchanged', (word) => {
    expect(execFileSync(testProgram('sh'), ['-c', `printf %s ${shellWord(word)}`], { encoding: 'utf8' })).toBe(word);
  });
});
