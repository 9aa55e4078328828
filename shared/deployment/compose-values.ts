/** Small readers of plain compose values (merge keys resolved), shared by the deployment readers. */
import { interpolateLikeCompose } from '../env-file/compose-interpolation.js';

export function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The variables a value refers to, as Compose's interpolation would look them up. */
export function referencedVariables(spelled: string): string[] {
  const found: string[] = [];
  try {
    interpolateLikeCompose(spelled, () => undefined, (name) => found.push(name));
  } catch {
    // An invalid template refers to what was found before it.
  }
  return [...new Set(found)];
}

/** A `volumes:` entry's source and target, short (`./a:/b:ro`) or long (`{ source, target }`) syntax. */
export function volumeMount(value: unknown): { source?: string; target: string } | undefined {
  if (value && typeof value === 'object') {
    const { source, target } = value as Record<string, unknown>;
    return typeof target === 'string' ? { ...(typeof source === 'string' && { source }), target } : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const drive = /^[A-Za-z]:[\\/]/.test(value) ? value.slice(0, 2) : '';
  const parts = value.slice(drive.length).split(':');
  return parts.length === 1 ? { target: drive + parts[0] } : { source: drive + parts[0], target: parts[1] ?? '' };
}
