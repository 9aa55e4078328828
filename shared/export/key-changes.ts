import { holdsSecretByName } from '../deployment/secret-names.js';
import { lastValues, parseEnvFile } from '../env-file/parse-env-file.js';

/** One line of the review's per-key diff. Secret values never appear: only that they change. */
export interface KeyChange {
  file: string;
  key: string;
  action: 'add' | 'change' | 'remove';
  before?: string;
  after?: string;
  secret: boolean;
}

export const MASK = '••••••••';

/** By its name (SMTP_PASS, POSTGRES_PASSWORD, n8n's own secrets), or as a variable a secret flows through. */
export function isSecretKey(key: string, carriesSecret: ReadonlySet<string> = new Set()): boolean {
  return holdsSecretByName(key) || carriesSecret.has(key);
}

export function describeEnvChanges(
  file: string,
  before: ReadonlyMap<string, { value: string }>,
  placed: ReadonlyArray<{ variable: string; value: string }>,
  removed: readonly string[],
): KeyChange[] {
  const changes: KeyChange[] = [];
  for (const { variable, value } of placed) {
    const old = before.get(variable)?.value;
    if (old === value) continue;
    const secret = isSecretKey(variable);
    changes.push({
      file,
      key: variable,
      action: old === undefined ? 'add' : 'change',
      ...(old !== undefined && { before: secret ? MASK : old }),
      after: secret ? MASK : value,
      secret,
    });
  }
  for (const key of removed) {
    const secret = isSecretKey(key);
    const old = before.get(key)?.value;
    changes.push({ file, key, action: 'remove', ...(old !== undefined && { before: secret ? MASK : old }), secret });
  }
  return changes;
}

/**
 * Every key whose value differs between two versions of an env file (secrets masked). `carriesSecret`: keys
 * whose name says nothing but whose value a secret flows through (`N8N_SMTP_PASS: ${MAIL_PW}`).
 */
export function diffEnvFiles(file: string, before: string | undefined, after: string | undefined, carriesSecret: ReadonlySet<string> = new Set()): KeyChange[] {
  const old = lastValues(parseEnvFile(before ?? ''));
  const now = lastValues(parseEnvFile(after ?? ''));
  const changes: KeyChange[] = [];
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const was = old.get(key);
    const is = now.get(key);
    if (was === is) continue;
    const secret = isSecretKey(key, carriesSecret);
    const shown = (value: string) => (secret ? MASK : value);
    if (is === undefined) changes.push({ file, key, action: 'remove', before: shown(was!), secret });
    else changes.push({ file, key, action: was === undefined ? 'add' : 'change', ...(was !== undefined && { before: shown(was) }), after: shown(is), secret });
  }
  return changes;
}
