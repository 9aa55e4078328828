/**
 * Finds n8n's start-up complaints about given variables in its log: its deprecation list ("There are
 * deprecations related to your n8n setup", one " - NAME -> advice" line each: NAME is the one concerned)
 * and the config loader's value warnings ("Invalid value for NAME …", "Invalid boolean value for NAME",
 * "… Falling back to …", trimmed `_FILE` contents), which name the variable anywhere in the line.
 */
const DEPRECATION_LIST = /There are deprecations related to your n8n setup/;
const DEPRECATION_ENTRY = /^\s*-\s+([A-Z0-9_]+)\s+->/;
const COMPLAINT = /deprecat|invalid|falling back|not supported|ignored|trimmed|will be removed|no longer/i;

export function startWarningsAbout(log: string, variables: readonly string[]): string[] {
  const complaints: string[] = [];
  let inDeprecationList = false;
  for (const line of log.split('\n')) {
    if (DEPRECATION_LIST.test(line)) {
      inDeprecationList = true;
      continue;
    }
    const entry = inDeprecationList ? DEPRECATION_ENTRY.exec(line) : null;
    if (entry) {
      if (variables.includes(entry[1] ?? '')) complaints.push(line.trim());
      continue;
    }
    inDeprecationList = false;
    if (COMPLAINT.test(line) && variables.some((name) => mentions(line, name))) complaints.push(line.trim());
  }
  return complaints;
}

function mentions(line: string, name: string): boolean {
  return new RegExp(`(^|[^A-Z0-9_])${name}([^A-Z0-9_]|$)`).test(line);
}
