/** Whether a line of a written file sets a key, read from the text itself (not with the code under test). */
import { parseEnvFile } from '../../shared/env-file/parse-env-file.js';

/** `KEY=…` in an env file; `KEY: …`, `- KEY=…` or a bare `- KEY` in a compose file. `line` is 1-based. */
export function setsKey(text: string, line: number, key: string, file: string): boolean {
  if (!/\.ya?ml$/.test(file)) return parseEnvFile(text).entries.some((entry) => entry.line === line && entry.key === key);
  return new RegExp(`^\\s*(-\\s*)?["']?${key}["']?(\\s*[:=]|\\s*$)`).test(text.split('\n')[line - 1] ?? '');
}
