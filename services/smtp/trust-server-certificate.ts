/**
 * "Trust this server's certificate": the chosen certificate (one the server presented) is saved in the app's
 * data folder as a CA file for this host and port; the wizard sets it as the CA file, the test runs again,
 * and export copies it into the folder as certs/smtp-ca.pem (mounted for n8n).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import type { ServerCertificate } from '../../shared/smtp/server-certificate.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import { describeCertificate } from './fetch-certificate-chain.js';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export async function trustServerCertificate(dataFolder: string, target: { host: string; port: number; pem: string }): Promise<{ caFile: string; certificate: ServerCertificate }> {
  const blocks = target.pem.match(PEM_BLOCK) ?? [];
  if (blocks.length !== 1) throw notOneCertificate(blocks.length);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(blocks[0]!);
  } catch (error) {
    throw notOneCertificate(1, (error as Error).message);
  }
  const described = describeCertificate(certificate);
  // A leaf signed by someone else proves nothing on its own: only a CA, or the server's self-signed certificate, is an anchor.
  if (!described.ca && !described.selfSigned) {
    throw new SetupError({ code: 'INVALID_VALUE', field: 'caFile', message: `${described.subject} is neither a CA nor self-signed, so trusting it would not make the chain valid.`, fix: 'Choose the CA at the top of the chain the server sent, or ask its administrator for the CA certificate.' });
  }
  const folder = join(dataFolder, 'certs');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const caFile = join(folder, `${fileNameOf(target.host)}-${target.port}-ca.pem`);
  await writeFileAtomic(caFile, `${described.pem.trim()}\n`, { mode: 0o644 });
  return { caFile, certificate: described };
}

/** The host as a file name: its safe characters, and a hash in place of a name too long for one. */
function fileNameOf(host: string): string {
  const safe = host.replace(/[^A-Za-z0-9.-]/g, '_');
  return safe.length <= 100 ? safe : `${safe.slice(0, 60)}-${createHash('sha256').update(host).digest('hex').slice(0, 16)}`;
}

function notOneCertificate(count: number, reason?: string): SetupError {
  return new SetupError({ code: 'INVALID_VALUE', field: 'caFile', message: reason ? `The certificate cannot be read: ${reason}.` : `Expected one PEM certificate, got ${count}.`, fix: 'Fetch the server\'s certificates again and choose one.' });
}
