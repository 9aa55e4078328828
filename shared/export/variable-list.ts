import type { ResolvedProfile } from '../profile/resolve-profile.js';
import type { PlannedFile } from './plan-export.js';
import { SECRET_FILES, type SecretFileVariable } from './secret-files.js';

/**
 * The same settings as plain NAME=value lines for platforms that take variables in a form (Portainer,
 * Coolify, systemd). Secrets are never written here: the platform's own secret field should hold them.
 */
export function variableListFile(
  placed: ReadonlyArray<{ variable: string; value: string }>,
  fileSecrets: readonly SecretFileVariable[],
  profile: ResolvedProfile,
): PlannedFile {
  const lines = [
    `# n8n settings for profile "${profile.name}" as plain variables, for platforms without Docker Compose.`,
    '# Caveats:',
    '# - Paste values exactly: no quotes are needed in most forms, and none are stripped here.',
    '# - Secrets are not in this file: enter them in the platform\'s secret field where marked.',
    '# - Paths (templates, CA, *_FILE) assume the mounts from the compose file; adapt them to your platform.',
    '# - After changing variables, recreate the container (docker compose up -d, not restart).',
    '',
  ];
  for (const { variable, value } of [...placed].sort((a, b) => (a.variable < b.variable ? -1 : 1))) {
    if (variable in SECRET_FILES) lines.push(`${variable}=<secret: enter it in the platform's secret field>`);
    else lines.push(`${variable}=${value.replace(/\r?\n/g, '\\n')}`);
  }
  for (const variable of fileSecrets) lines.push(`${variable}=<secret: enter it in the platform's secret field>`);
  return { path: 'n8n-variables.txt', content: `${lines.join('\n')}\n`, mode: 0o644, holdsSecret: false, kind: 'variables' };
}
