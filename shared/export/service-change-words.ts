/** The review's and the CLI's words for what a service gets (service-changes.ts); light enough for the page. */
import type { KeyChange } from './key-changes.js';
import type { ServiceChanges, ServiceEntryChange, WrittenLine } from './service-changes.js';

export function hasChanges(service: Pick<ServiceChanges, 'variables' | 'entries'>): boolean {
  return service.variables.length > 0 || service.entries.length > 0;
}

/** "docker-compose.yml line 24"; "n8n.env line 1, removed"; ".env line 3 (DOMAIN)" when another key carries the variable's value. */
export function describeWrittenLine(line: WrittenLine, variable: string): string {
  return `${line.file} line ${line.line}${line.key === variable ? '' : ` (${line.key})`}${line.removed ? ', removed' : ''}`;
}

/** "gets mount ./templates/invite.html:/…:ro"; "no longer gets Docker secret n8n_smtp_pass". */
export function describeEntryChange(change: ServiceEntryChange): string {
  const what = change.field === 'volumes' ? 'mount' : 'Docker secret';
  return `${change.action === 'add' ? 'gets' : 'no longer gets'} ${what} ${change.entry}`;
}

/** A value as the review shows it: an empty one is said, not left blank. */
export function shownValue(value: string): string {
  return value === '' ? '(empty)' : value;
}

/**
 * The file changes no service's rows show: a key no container reads (a secret removed from `.env` because
 * nothing reads it any more). A compose entry (`services.n8n.environment.KEY`) counts as its KEY; mounts
 * and secrets are the services' own entries.
 */
export function changesNoServiceShows(changes: readonly KeyChange[], services: readonly ServiceChanges[]): KeyChange[] {
  const shown = new Set(services.flatMap((s) => s.variables.flatMap((v) => v.writtenIn.map((line) => `${line.file}\0${line.key}`))));
  return changes.filter((change) => {
    const key = /^services\.[^.]+\.environment\.(.+)$/.exec(change.key)?.[1] ?? (change.key.startsWith('services.') ? undefined : change.key);
    return key !== undefined && !shown.has(`${change.file.replace(/^\.\//, '')}\0${key}`);
  });
}
