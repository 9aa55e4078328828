import { describe, expect, it } from 'vitest';
import { recommendSetting, type PortProbeResult } from './recommend-smtp-setting.js';

const probe = (port: number, mode: 'tls' | 'starttls', more: Partial<PortProbeResult> = {}): PortProbeResult => ({
  port,
  mode,
  ms: 10,
  reachable: true,
  greeting: '220 mail.example.com ESMTP',
  tls: true,
  certificate: { valid: true },
  authMechanisms: ['PLAIN'],
  ...more,
});

describe('recommendSetting', () => {
  it('prefers a valid certificate over an invalid one, whatever the port order', () => {
    const choice = recommendSetting([probe(465, 'tls', { certificate: { valid: false, problem: 'CERT_EXPIRED' } }), probe(587, 'starttls')]);
    expect(choice).toMatchObject({ port: 587, security: 'starttls', variables: { N8N_SMTP_PORT: '587', N8N_SMTP_SSL: 'false', N8N_SMTP_STARTTLS: 'true' } });
  });

  it('among equals, prefers a port that offers a login, then the probe order', () => {
    expect(recommendSetting([probe(465, 'tls', { authMechanisms: [] }), probe(587, 'starttls')])?.port).toBe(587);
    expect(recommendSetting([probe(465, 'tls'), probe(587, 'starttls')])?.port).toBe(465);
  });

  it('falls back to a plain port, saying that mail would travel unencrypted', () => {
    const choice = recommendSetting([probe(465, 'tls', { reachable: false, greeting: undefined, tls: false, failure: 'CONNECT_TIMEOUT' }), probe(25, 'starttls', { tls: false, certificate: undefined, authMechanisms: [] })]);
    expect(choice).toMatchObject({ port: 25, security: 'none' });
    expect(choice?.reason).toMatch(/plain text/);
  });

  it('recommends nothing when nothing greeted', () => {
    expect(recommendSetting([probe(465, 'tls', { greeting: undefined, failure: 'NO_GREETING' })])).toBeUndefined();
  });

  it('never recommends a port whose probe failed after the greeting: a STARTTLS handshake that stalled is not a plain port', () => {
    const stalled = probe(587, 'starttls', { startTlsOffered: true, tls: false, certificate: undefined, authMechanisms: [], failure: 'TLS_HANDSHAKE_TIMEOUT' });
    const garbled = probe(25, 'starttls', { tls: false, certificate: undefined, authMechanisms: [], failure: 'CONNECTION_CLOSED' });
    expect(recommendSetting([stalled, garbled])).toBeUndefined();
    expect(recommendSetting([stalled, probe(2525, 'starttls', { tls: false, certificate: undefined })])).toMatchObject({ port: 2525, security: 'none' });
  });
});
