/**
 * A throwaway CA and server certificates made with openssl for one test run: valid, issued for another
 * host, expired, and self-signed. EC keys keep it fast (well under a second for all of them).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testProgram } from '../../scripts/test-programs.mjs';

/** The host name the fixtures' certificates are issued for (resolved by the tests' own lookup). */
export const TEST_HOST = 'smtp.n8n-setup.test';

export interface KeyAndCertificate {
  key: string;
  cert: string;
}

export interface TestCertificates {
  dir: string;
  caFile: string;
  caPem: string;
  valid: KeyAndCertificate;
  wrongHost: KeyAndCertificate;
  expired: KeyAndCertificate;
  selfSigned: KeyAndCertificate;
}

const SAN = `subjectAltName=DNS:${TEST_HOST},DNS:localhost,IP:127.0.0.1,IP:127.0.0.2,IP:127.0.0.3,IP:127.0.0.4`;

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'n8n-smtp-ca-'));
  const openssl = (...args: string[]) => execFileSync(testProgram('openssl'), args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const newKey = (name: string) => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
  const read = (name: string): KeyAndCertificate => ({ key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.pem`), 'utf8') });

  newKey('ca');
  openssl('req', '-x509', '-new', '-key', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=n8n-setup throwaway test CA');
  const issue = (name: string, subject: string, san: string, days: string) => {
    newKey(name);
    openssl('req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${subject}`);
    writeFileSync(join(dir, `${name}.ext`), `${san}\n`);
    // A negative validity makes notAfter earlier than now: an expired certificate without faking the clock.
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', days, '-extfile', `${name}.ext`);
  };
  issue('valid', TEST_HOST, SAN, '2');
  issue('wrong-host', 'other.n8n-setup.test', 'subjectAltName=DNS:other.n8n-setup.test', '2');
  issue('expired', TEST_HOST, SAN, '-1');
  newKey('self-signed');
  writeFileSync(join(dir, 'self-signed.ext'), `${SAN}\n`);
  openssl('req', '-x509', '-new', '-key', 'self-signed.key', '-out', 'self-signed.pem', '-days', '2', '-subj', `/CN=${TEST_HOST}`, '-addext', SAN);

  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    valid: read('valid'),
    wrongHost: read('wrong-host'),
    expired: read('expired'),
    selfSigned: read('self-signed'),
  };
}
