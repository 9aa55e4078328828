import { describe, expect, it } from 'vitest';
import type { YAMLMap } from 'yaml';
import { parseComposeDocument } from './compose-document.js';
import { findN8nService, sharedEntryReason } from './find-n8n-service.js';

const lookup = (text: string, override = false) => {
  const doc = parseComposeDocument(text);
  const found = findN8nService(doc, doc.toJS(), { override });
  return found.kind === 'found' ? { kind: found.kind, name: found.name, byImage: found.byImage } : found;
};

describe('findN8nService', () => {
  it('finds the one service running n8nio/n8n, whatever it is called', () => {
    expect(lookup('services:\n  automation:\n    image: docker.n8n.io/n8nio/n8n:2.41.1\n  db:\n    image: postgres\n')).toEqual({
      kind: 'found',
      name: 'automation',
      byImage: true,
    });
  });

  it('recognises the image with a registry, tag or digest, but not n8n\'s other images', () => {
    for (const image of ['n8nio/n8n', 'n8nio/n8n:latest', 'ghcr.io/n8nio/n8n@sha256:abc', 'docker.n8n.io/n8nio/n8n']) {
      expect(lookup(`services:\n  x:\n    image: ${image}\n`), image).toMatchObject({ kind: 'found', name: 'x' });
    }
    expect(lookup('services:\n  runner:\n    image: n8nio/runners:2.41.1\n')).toEqual({ kind: 'missing' });
  });

  it('reads the image through << merge keys', () => {
    expect(lookup('x: &n8n\n  image: n8nio/n8n\nservices:\n  main:\n    <<: *n8n\n')).toMatchObject({ kind: 'found', name: 'main' });
  });

  it('falls back to the service named n8n when no image matches (a custom build)', () => {
    expect(lookup('services:\n  n8n:\n    build: .\n')).toEqual({ kind: 'found', name: 'n8n', byImage: false });
  });

  it('does not guess between several n8n services (queue mode: main and worker)', () => {
    const text = 'services:\n  n8n:\n    image: n8nio/n8n\n  n8n-worker:\n    image: n8nio/n8n\n    command: worker\n';
    expect(lookup(text)).toEqual({ kind: 'ambiguous', names: ['n8n', 'n8n-worker'] });
  });

  it('reports a file without any n8n service as missing', () => {
    expect(lookup('services:\n  app:\n    build: .\n')).toEqual({ kind: 'missing' });
    expect(lookup('volumes: {}\n')).toEqual({ kind: 'missing' });
  });

  it('in an override file, takes the service named n8n or the only service', () => {
    expect(lookup('services:\n  main:\n    environment: {}\n', true)).toMatchObject({ kind: 'found', name: 'main' });
    expect(lookup('services:\n  a: {}\n  n8n: {}\n', true)).toMatchObject({ kind: 'found', name: 'n8n' });
  });

  it('cannot use a service that is an alias of another node', () => {
    expect(lookup('x: &s\n  image: n8nio/n8n\nservices:\n  n8n: *s\n')).toMatchObject({ kind: 'unusable', name: 'n8n' });
  });
});

describe('sharedEntryReason', () => {
  const reason = (text: string, field: string) => {
    const doc = parseComposeDocument(text);
    return sharedEntryReason(doc, doc.getIn(['services', 'n8n'], true) as YAMLMap, field);
  };

  it('allows an entry that belongs to the service alone', () => {
    expect(reason('services:\n  n8n:\n    environment:\n      A: "1"\n', 'environment')).toBeUndefined();
    expect(reason('services:\n  n8n:\n    environment: &own\n      A: "1"\n', 'environment')).toBeUndefined();
  });

  it('refuses an entry that is an alias, an anchor used elsewhere, or merged in with <<', () => {
    const anchor = 'x: &env\n  A: "1"\n';
    expect(reason(`${anchor}services:\n  n8n:\n    environment: *env\n`, 'environment')).toContain('alias');
    expect(reason('services:\n  n8n:\n    environment: &env\n      A: "1"\n  w:\n    environment: *env\n', 'environment')).toContain('anchor');
    expect(reason('x: &base\n  environment:\n    A: "1"\nservices:\n  n8n:\n    <<: *base\n', 'environment')).toContain('<<');
  });
});
