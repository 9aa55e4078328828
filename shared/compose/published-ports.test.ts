import { describe, expect, it } from 'vitest';
import { portWarnings, publishedPorts, publishesHostPort } from './published-ports.js';

describe('publishedPorts', () => {
  it('reads every short and long syntax', () => {
    expect(publishedPorts(['5678', '5678:5678', '127.0.0.1:8080:5678', '[::1]:5678:5678/tcp', 5678, { target: 5678, published: 80, host_ip: '10.0.0.1' }])).toEqual([
      { hostIp: '', hostPort: '', containerPort: '5678' },
      { hostIp: '', hostPort: '5678', containerPort: '5678' },
      { hostIp: '127.0.0.1', hostPort: '8080', containerPort: '5678' },
      { hostIp: '::1', hostPort: '5678', containerPort: '5678' },
      { hostIp: '', hostPort: '', containerPort: '5678' },
      { hostIp: '10.0.0.1', hostPort: '80', containerPort: '5678' },
    ]);
  });

  it('knows which host ports are taken', () => {
    expect(publishesHostPort(['80:80', '443:443/udp'], 443)).toBe(true);
    expect(publishesHostPort(['8443:443'], 443)).toBe(false);
  });
});

describe('portWarnings', () => {
  it('warns when a proxy fronts n8n but 5678 is published on every interface', () => {
    for (const ports of [['5678:5678'], ['0.0.0.0:5678:5678'], [5678]]) {
      expect(portWarnings(ports, { kind: 'external' }, 'n8n').map((w) => w.code), JSON.stringify(ports)).toEqual(['COMPOSE_PORT_PUBLIC']);
    }
  });

  it('accepts 5678 bound to the loopback interface behind a proxy, and no port at all behind a bundled one', () => {
    expect(portWarnings(['127.0.0.1:5678:5678'], { kind: 'external' }, 'n8n')).toEqual([]);
    expect(portWarnings([], { kind: 'caddy', host: 'n8n.example.com', acmeEmail: '' }, 'n8n')).toEqual([]);
  });

  it('warns when without a proxy n8n is not published at all', () => {
    expect(portWarnings([], { kind: 'none' }, 'n8n').map((w) => w.code)).toEqual(['COMPOSE_PORT_NOT_PUBLISHED']);
  });
});
