/**
 * Backups sit beside the file they copy as `<name>.<YYYYMMDDTHHMMSSmmmZ>-<8 random hex>.bak` (UTC): the
 * stamp sorts as text and has no `:` (Windows-safe); the random part makes the name impossible to guess in
 * advance, so nobody can plant a link under it. Backups of older versions (`<name>.<stamp>[-N].bak`) are
 * still recognised when listed.
 */
const BACKUP_NAME = /^(.+)\.(\d{8}T\d{9}Z)(?:-([0-9a-f]{8})|-(\d+))?\.bak$/;

export function backupStamp(now: Date): string {
  return now.toISOString().replace(/[-:.]/g, '');
}

export function backupFileName(name: string, now: Date, random: string): string {
  return `${name}.${backupStamp(now)}-${random}.bak`;
}

export function parseBackupName(name: string): { target: string; stamp: string } | undefined {
  const match = BACKUP_NAME.exec(name);
  if (!match) return undefined;
  return { target: match[1]!, stamp: match[2]! };
}

/** `20250304T120506007Z` → `2025-03-04T12:05:06.007Z`. */
export function stampToIso(stamp: string): string {
  const [, y, mo, d, h, mi, s, ms] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(stamp)!;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`;
}
