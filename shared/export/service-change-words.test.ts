import { describe, expect, it } from 'vitest';
import type { KeyChange } from './key-changes.js';
import { changesNoServiceShows, shownValue } from './service-change-words.js';
import type { ServiceChanges } from './service-changes.js';

const service: ServiceChanges = {
  name: 'n8n',
  role: 'main',
  roleLabel: 'main',
  variables: [
    { key: 'N8N_HOST', action: 'change', before: 'a', after: 'b', secret: false, writtenIn: [{ file: '.env', line: 3, key: 'N8N_HOST', removed: false }] },
    { key: 'N8N_SMTP_HOST', action: 'add', after: 'smtp', secret: false, writtenIn: [{ file: 'docker-compose.yml', line: 7, key: 'N8N_SMTP_HOST', removed: false }] },
  ],
  entries: [],
};

const change = (file: string, key: string, action: KeyChange['action'] = 'change'): KeyChange => ({ file, key, action, secret: false });

describe('the changes no service row shows', () => {
  it('a .env key a row names, and a compose entry by its key, are shown; a key no row names is not', () => {
    const changes = [change('.env', 'N8N_HOST'), change('./docker-compose.yml', 'services.n8n.environment.N8N_SMTP_HOST'), change('.env', 'SMTP_PASS', 'remove'), change('docker-compose.yml', 'services.n8n.volumes')];
    expect(changesNoServiceShows(changes, [service])).toEqual([change('.env', 'SMTP_PASS', 'remove')]);
  });

  it('the same key in another file than the row names is not shown by that row', () => {
    expect(changesNoServiceShows([change('n8n.env', 'N8N_HOST')], [service])).toEqual([change('n8n.env', 'N8N_HOST')]);
  });

  it('an empty value is said', () => {
    expect([shownValue(''), shownValue('x')]).toEqual(['(empty)', 'x']);
  });
});
