/**
 * How n8n's config loader turns one environment value into a setting (mirrors @n8n/config's decorators:
 * booleans strict and untrimmed, enums and strings trimmed and unquoted, numbers through Number()).
 * Used by import to say what n8n would ignore or alter.
 */
import { N8N_VARIABLES, type VariableName } from './n8n-variables.js';

export type ReadOutcome =
  | { kind: 'unset' }
  | { kind: 'value'; value: string | number | boolean; altered?: string }
  | { kind: 'ignored'; reason: string };

/** n8n's normalizeEnvValue: trim, then strip one pair of matching surrounding quotes. */
export function normalizeLikeN8n(value: string): string {
  return value.trim().replace(/^(['"])(.*)\1$/, '$2');
}

export function readLikeN8n(name: VariableName, raw: string | undefined): ReadOutcome {
  if (raw === undefined) return { kind: 'unset' };
  const info = N8N_VARIABLES[name];
  switch (info.type) {
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (lower === 'true' || lower === '1') return { kind: 'value', value: true };
      if (lower === 'false' || lower === '0') return { kind: 'value', value: false };
      return { kind: 'ignored', reason: `n8n accepts only true, false, 1 or 0 here (no spaces or quotes); "${raw}" is ignored and the default (${String(info.default)}) applies.` };
    }
    case 'number': {
      if (normalizeLikeN8n(raw).trim() === '') return { kind: 'unset' };
      const parsed = Number(raw);
      if (Number.isNaN(parsed)) return { kind: 'ignored', reason: `"${raw}" is not a number; n8n keeps the default (${String(info.default)}).` };
      return { kind: 'value', value: parsed };
    }
    case 'enum': {
      const normalized = normalizeLikeN8n(raw);
      const allowed: readonly string[] = 'enumValues' in info ? info.enumValues : [];
      if (!allowed.includes(normalized)) {
        return { kind: 'ignored', reason: `n8n accepts only ${allowed.map((v) => `"${v}"`).join(' or ')} (lowercase); "${raw}" falls back to the default "${String(info.default)}".` };
      }
      return normalized === raw ? { kind: 'value', value: normalized } : { kind: 'value', value: normalized, altered: `n8n reads "${normalized}" (it trims spaces and one pair of quotes).` };
    }
    default: {
      const normalized = normalizeLikeN8n(raw);
      return normalized === raw ? { kind: 'value', value: raw } : { kind: 'value', value: normalized, altered: `n8n trims spaces and one pair of surrounding quotes, so it reads ${JSON.stringify(normalized)}.` };
    }
  }
}
