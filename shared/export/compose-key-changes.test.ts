import { describe, expect, it } from 'vitest';
import { describeComposeChanges, valueAt } from './compose-key-changes.js';
import { MASK } from './key-changes.js';

const BEFORE = `x-shared: &shared
  environment:
    - N8N_HOST=old.example.com
    - N8N_SMTP_PASS=old-secret
services:
  n8n:
    <<: *shared
    image: docker.n8n.io/n8nio/n8n:1.90.0
    volumes:
      - n8n_data:/home/node/.n8n
    secrets:
      - n8n_old
`;

const AFTER = `services:
  n8n:
    image: docker.n8n.io/n8nio/n8n:2.41.1
    environment:
      N8N_HOST: n8n.example.com
      N8N_SMTP_PASS: new-secret
      N8N_EMAIL_MODE: ""
    volumes:
      - n8n_data:/home/node/.n8n
      - type: bind
        source: ./templates/invite.html
        target: /home/node/.n8n/templates/invite.html
        read_only: true
`;

describe('compose keys with what they said before and say after', () => {
  it('add, change and remove, read through anchors, list and map syntax; secrets masked', () => {
    const keys = ['services.n8n.image', 'services.n8n.environment.N8N_HOST', 'services.n8n.environment.N8N_SMTP_PASS', 'services.n8n.environment.N8N_EMAIL_MODE', 'services.n8n.volumes./home/node/.n8n/templates/invite.html', 'services.n8n.secrets.n8n_old'];
    expect(describeComposeChanges('compose.yaml', BEFORE, AFTER, keys)).toEqual([
      { file: 'compose.yaml', key: 'services.n8n.image', action: 'change', before: 'docker.n8n.io/n8nio/n8n:1.90.0', after: 'docker.n8n.io/n8nio/n8n:2.41.1', secret: false },
      { file: 'compose.yaml', key: 'services.n8n.environment.N8N_HOST', action: 'change', before: 'old.example.com', after: 'n8n.example.com', secret: false },
      { file: 'compose.yaml', key: 'services.n8n.environment.N8N_SMTP_PASS', action: 'change', before: MASK, after: MASK, secret: true },
      { file: 'compose.yaml', key: 'services.n8n.environment.N8N_EMAIL_MODE', action: 'add', after: '', secret: false },
      { file: 'compose.yaml', key: 'services.n8n.volumes./home/node/.n8n/templates/invite.html', action: 'add', after: '{"type":"bind","source":"./templates/invite.html","target":"/home/node/.n8n/templates/invite.html","read_only":true}', secret: false },
      { file: 'compose.yaml', key: 'services.n8n.secrets.n8n_old', action: 'remove', before: 'n8n_old', secret: false },
    ]);
  });

  it('a new file: every key is an addition with the value written', () => {
    const changes = describeComposeChanges('compose.yaml', undefined, AFTER, ['services.n8n.environment.N8N_HOST', 'services.n8n']);
    expect(changes.map((c) => [c.action, c.before, c.after?.slice(0, 20)])).toEqual([
      ['add', undefined, 'n8n.example.com'],
      ['add', undefined, '{"image":"docker.n8n'],
    ]);
  });

  it('finds keys with dots in them, and says nothing of a path that is not there', () => {
    expect(valueAt({ services: { 'n8n.main': { image: 'a' } } }, 'services.n8n.main.image')).toBe('a');
    expect(valueAt({ services: {} }, 'services.n8n.image')).toBeUndefined();
    expect(valueAt(undefined, 'services')).toBeUndefined();
  });
});
