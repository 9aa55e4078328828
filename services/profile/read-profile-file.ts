import { readlinkSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { readTextFile } from '../input/read-text-input.js';
import { parseProfile } from '../../shared/profile/parse-profile.js';
import type { Profile } from '../../shared/profile/profile-schema.js';
import { resolveProfile, type ResolvedProfile } from '../../shared/profile/resolve-profile.js';

export interface LoadedProfile {
  profile: Profile;
  resolved: ResolvedProfile;
  /** File paths in the profile are relative to the profile's folder. */
  baseDir: string;
}

/**
 * This machine's IANA zone. The TZ variable and the /etc/localtime link answer without loading ICU's
 * time-zone data, which costs a CLI run ~12 ms; Intl is the fallback (and the only way on Windows).
 */
export function machineTimezone(): string | undefined {
  const fromEnv = process.env.TZ;
  if (fromEnv && /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(fromEnv)) return fromEnv;
  try {
    const link = /zoneinfo\/(.+)$/.exec(readlinkSync('/etc/localtime'))?.[1];
    if (link) return link;
  } catch {
    // not a link (or no such file): ask Intl
  }
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && zone !== 'Etc/Unknown' ? zone : undefined;
}

export async function readProfileFile(path: string): Promise<LoadedProfile> {
  const text = readTextFile(path, { name: `The profile ${path}`, field: 'profile', holds: 'the settings it holds', refuseNul: true, showLine: true });
  if (text === undefined) {
    throw new SetupError({ code: 'INVALID_ARGUMENT', field: 'profile', message: `Cannot read the profile ${path}: there is no such file.`, fix: 'Check the path given with --profile.' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SetupError({ code: 'INVALID_PROFILE', field: 'profile', message: `The profile ${path} is not valid JSON: ${(error as Error).message}`, fix: 'Fix the JSON syntax (a trailing comma or a missing quote is the usual cause).' }, { cause: error });
  }
  return loadProfile(json, dirname(resolve(path)));
}

export function loadProfile(json: unknown, baseDir: string): LoadedProfile {
  const parsed = parseProfile(json);
  if (!parsed.ok) {
    const [first, ...rest] = parsed.errors;
    if (!first) throw new Error('unreachable: a failed parse has errors');
    const detail = rest.length ? `\n${rest.map((e) => `  - ${e.message}${e.fix ? ` ${e.fix}` : ''}`).join('\n')}` : '';
    throw new SetupError({ ...first, message: `${first.message}${detail}` });
  }
  return { profile: parsed.value, resolved: resolveProfile(parsed.value), baseDir };
}

export function resolveProfilePath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
