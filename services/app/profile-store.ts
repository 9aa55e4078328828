/**
 * Saved profiles: `<data folder>/profiles/<name>.json`, the same JSON as a profile file for the CLI, never a
 * secret. Writes are atomic (services/files), so a crash leaves the old or the new profile, never half.
 */
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type * as z from 'zod/mini';
import { SetupError } from '../../shared/errors.js';
import { ProfileNameSchema } from '../../shared/ipc/common-schemas.js';
import type { ProfileSummarySchema } from '../../shared/ipc/profile-channels.js';
import { parseProfile, requireProfile } from '../../shared/profile/parse-profile.js';
import type { Profile } from '../../shared/profile/profile-schema.js';
import { isErrnoError, throwFileError } from '../files/file-errors.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import { readTextFile, type TextSource } from '../input/read-text-input.js';

export type ProfileSummary = z.infer<typeof ProfileSummarySchema>;

export interface ProfileStore {
  readonly folder: string;
  list(): Promise<ProfileSummary[]>;
  load(name: string): Promise<Profile>;
  /** Saves under the profile's name (default "default") and returns it. */
  save(profile: Profile): Promise<string>;
  delete(name: string): Promise<void>;
  /** Checks that `to` is free; the caller moves the keychain entries between check and rename. */
  checkRenamable(from: string, to: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

// Profiles hold addresses and host names, not secrets; still, only their owner needs to read them.
const FILE_MODE = 0o600;
const FOLDER_MODE = 0o700;

export function createProfileStore(dataFolder: string): ProfileStore {
  const folder = join(dataFolder, 'profiles');
  const fileOf = (name: string) => join(folder, `${name}.json`);

  async function read(name: string): Promise<Profile> {
    const text = readTextFile(fileOf(name), savedProfile(name));
    if (text === undefined) throw notFound(name);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new SetupError({ code: 'INVALID_PROFILE', field: '(profile)', message: `The saved profile "${name}" is not valid JSON: ${(error as Error).message}`, fix: `Fix or delete ${fileOf(name)}.` }, { cause: error });
    }
    return requireProfile(json);
  }

  async function write(name: string, profile: Profile): Promise<void> {
    await mkdir(folder, { recursive: true, mode: FOLDER_MODE });
    await writeFileAtomic(fileOf(name), `${JSON.stringify(profile, null, 2)}\n`, { mode: FILE_MODE });
  }

  return {
    folder,
    async list() {
      let names: string[];
      try {
        names = await readdir(folder);
      } catch (error) {
        if (isErrnoError(error) && error.code === 'ENOENT') return [];
        throwFileError(error, { path: folder, action: 'read' });
      }
      const summaries: ProfileSummary[] = [];
      for (const file of names) {
        const name = file.endsWith('.json') ? file.slice(0, -'.json'.length) : '';
        if (!ProfileNameSchema.safeParse(name).success) continue; // backups, temp files, strangers
        const summary = await summarize(name, fileOf(name));
        if (summary) summaries.push(summary);
      }
      return summaries.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.name.localeCompare(b.name));
    },
    load: read,
    async save(profile) {
      const name = profile.name ?? 'default';
      await write(name, profile);
      return name;
    },
    async delete(name) {
      try {
        await unlink(fileOf(name));
      } catch (error) {
        if (isErrnoError(error) && error.code === 'ENOENT') throw notFound(name);
        throwFileError(error, { path: fileOf(name), action: 'write' });
      }
    },
    async checkRenamable(from, to) {
      await read(from);
      if (from !== to && (await exists(fileOf(to)))) {
        throw new SetupError({ code: 'PROFILE_EXISTS', field: 'to', message: `A profile named "${to}" already exists.`, fix: 'Choose another name, or delete that profile first.' });
      }
    },
    async rename(from, to) {
      if (from === to) return;
      const profile = await read(from);
      // Written under the new name before the old file goes: an interruption leaves a copy, never a loss.
      await write(to, { ...profile, name: to });
      await unlink(fileOf(from));
    },
  };
}

async function summarize(name: string, file: string): Promise<ProfileSummary | undefined> {
  let updatedAt: string;
  try {
    updatedAt = (await stat(file)).mtime.toISOString();
  } catch {
    return undefined; // deleted while we looked
  }
  let text: string | undefined;
  try {
    text = readTextFile(file, savedProfile(name));
  } catch (error) {
    // Too large, not UTF-8, unreadable: listed with its problem.
    if (error instanceof SetupError) return { name, updatedAt, problem: error.toJSON() };
    throw error;
  }
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { name, updatedAt, problem: { code: 'INVALID_PROFILE', message: `The saved profile "${name}" is not valid JSON.`, fix: 'Delete it, or fix the file by hand.' } };
  }
  const parsed = parseProfile(json);
  if (!parsed.ok) return { name, updatedAt, ...(parsed.errors[0] && { problem: parsed.errors[0] }) };
  return { name, updatedAt, publicUrl: parsed.value.url.public, emailMode: parsed.value.email.mode };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isErrnoError(error) && error.code === 'ENOENT') return false;
    throw error;
  }
}

function notFound(name: string): SetupError {
  return new SetupError({ code: 'PROFILE_NOT_FOUND', field: 'name', message: `There is no saved profile named "${name}".`, fix: 'Pick one from the list of saved profiles.' });
}

function savedProfile(name: string): TextSource {
  return { name: `The saved profile "${name}"`, field: '(profile)', holds: 'its settings', refuseNul: true, showLine: true, fix: 'Delete it, or save it again from the wizard.' };
}
