/**
 * Backups sit beside the file they copy as `<name>.<YYYYMMDDTHHMMSSmmmZ>.bak` (UTC), with `-2`, `-3`… before
 * `.bak` when two land in the same millisecond. The stamp has no `:` (Windows-safe) and sorts as text.
 */
const BACKUP_NAME = /^(.+)\.(\d{8}T\d{9}Z)(?:-(\d+))?\.bak$/;

export function backupStamp(now: Date): string {
  return now.toISOString().replace(/[-:.]/g, '');
}

export function backupFileName(name: string, now: Date, attempt = 1): string {
  return `${name}.${backupStamp(now)}${attempt > 1 ? `-${attempt}` : ''}.bak`;
}

export function parseBackupName(name: string): { target: string; stamp: string; attempt: number } | undefined {
  const match = BACKUP_NAME.exec(name);
  if (!match) return undefined;
  return { target: match[1]!, stamp: match[2]!, attempt: match[3] ? Number(match[3]) : 1 };
}

/** `20250304T120506007Z` → `2025-03-04T12:05:06.007Z`. */
export function stampToIso(stamp: string): string {
  const [, y, mo, d, h, mi, s, ms] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(stamp)!;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`;
}
