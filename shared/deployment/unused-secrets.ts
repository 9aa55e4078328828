/**
 * Secrets left in the project `.env` that nothing reads any more (a hand setup's SMTP_PASS, a password
 * from a service long gone): a key holds one by its name (secret-names.ts) and a non-empty value, and
 * Compose reads it nowhere (project-env-readers.ts). Export lists them and removes one only when asked
 * (docs/unused-secrets.md). Only names and line numbers leave here, never a value.
 */
import { parseEnvFile } from '../env-file/parse-env-file.js';
import { projectEnvReaders, type ComposeProject } from './project-env-readers.js';
import { holdsSecretByName } from './secret-names.js';

export interface UnusedSecret {
  key: string;
  /** The env file that holds it: the project `.env`. */
  file: string;
  /** 1-based lines of its assignments (a key set twice is removed twice). */
  lines: number[];
}

export interface UnusedSecrets {
  found: UnusedSecret[];
  /** Why `key` is not among them, naming it (for a request to remove it); undefined when it is. */
  whyKept(key: string): string | undefined;
}

const PROJECT_ENV = '.env';

export function findUnusedSecrets(project: ComposeProject): UnusedSecrets {
  const readers = projectEnvReaders(project);
  const { entries } = parseEnvFile(project.env);
  const keys = [...new Set(entries.map((entry) => entry.key))];
  // A bare `KEY` line holds no value of its own (Compose takes it from the shell).
  const holdsValue = (key: string) => entries.some((entry) => entry.key === key && !entry.unset && entry.value !== '');
  const whyKept = (key: string): string | undefined => {
    if (!keys.includes(key)) return `.env has no ${key}`;
    if (!holdsSecretByName(key)) return `${key} is no secret by its name`;
    if (!holdsValue(key)) return `${key} is empty`;
    if (readers.all !== undefined) return `Compose may read ${key} (${readers.all})`;
    const reader = readers.byName.get(key);
    return reader === undefined ? undefined : `${key} is still read (${reader})`;
  };
  const found = keys.filter((key) => whyKept(key) === undefined).map((key) => ({ key, file: PROJECT_ENV, lines: entries.filter((entry) => entry.key === key).map((entry) => entry.line) }));
  return { found, whyKept };
}

/** "SMTP_PASS in .env (line 4) holds a secret and no service reads it any more." */
export function describeUnusedSecret(secret: UnusedSecret): string {
  const lines = secret.lines.length === 1 ? `line ${secret.lines[0]}` : `lines ${secret.lines.slice(0, -1).join(', ')} and ${secret.lines.at(-1)}`;
  return `${secret.key} in ${secret.file} (${lines}) holds a secret and no service reads it any more.`;
}
