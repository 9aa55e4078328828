import { describe, expect, it } from 'vitest';
import { readDeployment } from '../../shared/deployment/read-deployment.js';
import { corpusCases } from './corpus.js';

/**
 * The deployment model read from every public deployment of the corpus agrees with what a careful reader
 * wrote down by hand: the compose files Compose loads (override, COMPOSE_FILE, include, extends), each
 * service, its image as written, which are n8n and in what role, the platform, and what routes the public
 * URL to n8n, with the ACME email's variable.
 */
const cases = corpusCases();

describe('readDeployment on the real-world corpus', () => {
  it('has at least 15 deployments from at least 6 sources', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(new Set(cases.map((c) => c.expected.platform)).size).toBeGreaterThanOrEqual(6);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: the files Compose loads, services, images, roles, platform and proxy', (_name, corpusCase) => {
    const deployment = readDeployment(corpusCase.files);
    expect(deployment.files.map((file) => file.path)).toEqual(corpusCase.expected.composeFiles ?? [corpusCase.expected.composeFile]);
    const seen = Object.fromEntries(deployment.services.map((s) => [s.name, { image: s.image ?? null, n8nImage: s.n8nImage, role: s.role ?? null }]));
    const expected = Object.fromEntries(Object.entries(corpusCase.expected.services).map(([name, s]) => [name, { image: s.image, n8nImage: s.n8nImage, role: s.role }]));
    expect(seen).toEqual(expected);
    expect(deployment.platform).toBe(corpusCase.expected.platform);
    const { kind, service, acmeEmailVar } = corpusCase.expected.proxy;
    expect({ kind: deployment.proxy.kind, service: deployment.proxy.service ?? null, acmeEmailVar: deployment.proxy.acmeEmailVariable ?? null }).toEqual({ kind, service, acmeEmailVar });
  });
});
