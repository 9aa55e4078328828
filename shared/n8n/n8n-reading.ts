/**
 * How n8n turns one environment value into a setting, mirroring @n8n/config 2.39's loader (decorators.ts):
 * booleans strict and untrimmed, numbers through Number(), enums and strings through normalizeEnvValue.
 * Variables the loader does not declare (`file: false` in the table) reach n8n, Node or the container
 * runtime straight from process.env, exactly as written. test/n8n-oracle checks this against the loader.
 */
import { N8N_VARIABLES, variableInfo, type VariableName } from './n8n-variables.js';

export type ReadOutcome =
  | { kind: 'unset' }
  | { kind: 'value'; value: string | number | boolean; altered?: string }
  | { kind: 'ignored'; reason: string };

/**
 * n8n's normalizeEnvValue: trim JavaScript white space (which includes line breaks, NBSP, U+2028 and the
 * BOM), then strip one pair of matching surrounding quotes — only when no line break (LF, CR, U+2028,
 * U+2029) is inside, because the loader's `.` does not match one.
 */
export function normalizeLikeN8n(value: string): string {
  return value.trim().replace(/^(['"])(.*)\1$/, '$2');
}

/**
 * Why n8n would read a string `value` differently from how it is written, in words that never repeat the
 * value; undefined when n8n reads it exactly.
 */
export function n8nChangeReason(value: string): string | undefined {
  const trimmed = value.trim();
  const unquoted = normalizeLikeN8n(value);
  if (unquoted === trimmed) return trimmed === value ? undefined : 'starts or ends with white space (a space, tab, line break or invisible space), which n8n removes';
  const quote = trimmed.startsWith('"') ? 'double' : 'single';
  const outside = trimmed === value ? '' : 'starts or ends with white space and then ';
  return `${outside}is wrapped in matching ${quote} quotes, which n8n removes (it keeps quotes only around a value with a line break inside)`;
}

/** Whether n8n's config loader reads the variable (and so normalizes it): every variable it declares also reads NAME_FILE. */
export function isReadByN8nConfig(name: VariableName): boolean {
  return variableInfo(name).file;
}

export function readLikeN8n(name: VariableName, raw: string | undefined): ReadOutcome {
  if (raw === undefined) return { kind: 'unset' };
  const info = N8N_VARIABLES[name];
  if (!isReadByN8nConfig(name)) return { kind: 'value', value: raw };
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
      return readString(name, raw);
    }
    default:
      return readString(name, raw);
  }
}

function readString(name: VariableName, raw: string): ReadOutcome {
  const reason = n8nChangeReason(raw);
  if (!reason) return { kind: 'value', value: raw };
  const value = normalizeLikeN8n(raw);
  // A secret's value is never repeated, not even the part n8n keeps.
  const reads = variableInfo(name).secret ? 'so the value it uses differs from the one written' : `so it reads ${JSON.stringify(value)}`;
  return { kind: 'value', value, altered: `${name} ${reason}, ${reads}.` };
}
