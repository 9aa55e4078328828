import { describe, expect, it } from 'vitest';
import { refusedKind, refusedReach } from './reach-policy.js';

describe('refusedKind', () => {
  it.each([
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['FD00:EC2:0:0:0:0:0:254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['169.254.0.1', 'link-local'],
    ['169.254.255.255', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['::ffff:169.254.10.10', 'link-local'],
  ])('%s is %s', (address, kind) => {
    expect(refusedKind(address)).toBe(kind);
  });

  it.each(['127.0.0.1', '::1', '10.0.0.5', '192.168.1.10', '172.17.0.2', '169.253.255.255', '169.255.0.1', 'fec0::1', 'fd00:ec2::253', '93.184.216.34', '2606:2800:220:1::', 'not-an-address'])('%s is not refused', (address) => {
    expect(refusedKind(address)).toBeUndefined();
  });
});

describe('refusedReach', () => {
  it('refuses a name that resolves to a metadata or link-local address', () => {
    expect(refusedReach('n8n.example.com', '169.254.169.254')).toBe('metadata');
    expect(refusedReach('n8n.example.com', 'fd00:ec2::254')).toBe('metadata');
    expect(refusedReach('n8n.example.com', 'fe80::42')).toBe('link-local');
    expect(refusedReach('169.254.1.1', '169.254.169.254')).toBe('metadata');
  });

  it('allows the address when the URL names it itself, in any spelling', () => {
    expect(refusedReach('169.254.169.254', '169.254.169.254')).toBeUndefined();
    expect(refusedReach('169.254.7.7', '169.254.7.7')).toBeUndefined();
    expect(refusedReach('[fe80::42]', 'fe80::42')).toBeUndefined();
    expect(refusedReach('[fd00:ec2::254]', 'fd00:ec2:0:0:0:0:0:254')).toBeUndefined();
  });

  it('allows the metadata service when the URL names it by its own name, and only the metadata service', () => {
    expect(refusedReach('metadata.google.internal', '169.254.169.254')).toBeUndefined();
    expect(refusedReach('METADATA.google.internal.', '169.254.169.254')).toBeUndefined();
    expect(refusedReach('metadata.google.internal', '169.254.3.3')).toBe('link-local');
  });

  it('leaves every other address alone: loopback, private networks, public addresses', () => {
    for (const address of ['127.0.0.1', '::1', '10.1.2.3', '192.168.0.10', '203.0.113.5']) expect(refusedReach('n8n.example.com', address)).toBeUndefined();
  });
});
