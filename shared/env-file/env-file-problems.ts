/**
 * What Docker Compose can object to in a `.env`, in words safe to show. Compose's own messages quote the
 * offending text, and in a `.env` that text is often a password (`N8N_SMTP_PASS="Sup3r…` without its
 * closing quote), so these name the variable and the kind of problem, never the value.
 */
export type EnvFileProblemKind = 'unterminated-quote' | 'invalid-template' | 'required-variable' | 'invalid-name';

/** Each kind's wording, given "the value of KEY" (or "a value" where the key is not known). */
const WORDING: Record<EnvFileProblemKind, (value: string) => string> = {
  'unterminated-quote': (value) => `${value} opens a quote that is never closed`,
  'invalid-template': (value) => `${value} has a "\${" that starts no valid variable reference (write "$$" for a literal "$")`,
  'required-variable': (value) => `${value} requires a variable that is not set (\${NAME:?…} or \${NAME?…})`,
  'invalid-name': () => 'a variable name has a space or a character Compose does not accept (letters, digits and _ . - [ ] only)',
};

export function describeEnvFileProblem(kind: EnvFileProblemKind, key?: string): string {
  return WORDING[kind](key === undefined ? 'a value' : `the value of ${key}`);
}
