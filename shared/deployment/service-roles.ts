/**
 * Which services are n8n, and in what role, from how Compose starts them. An n8n process is a service on
 * the n8n image — or built from a Dockerfile and set up with n8n's own variables — and its command says the
 * role: none or `start` is main, `worker` and `webhook` are themselves, anything else (`import:workflow`,
 * a shell entrypoint) is a one-off task. A runner is a task-runner sidecar (n8nio/runners, or a built
 * service with the runner's broker variables only).
 */
import { isN8nImage } from '../compose/n8n-service-entries.js';
import { isVariableName } from '../n8n/n8n-variables.js';
import type { DeploymentService, ServiceRole } from './deployment.js';

const RUNNER_IMAGE = /(^|\/)n8nio\/runners(:|@|$)/;
/** Settings n8n's own processes read: the table's, and those that make a database or queue process. */
const isN8nSetting = (key: string) => (isVariableName(key) && key !== 'TZ') || /^(DB_TYPE|DB_POSTGRESDB_[A-Z_]+|EXECUTIONS_MODE|QUEUE_BULL_[A-Z_]+)$/.test(key);
const RUNNER_SETTING = /^N8N_RUNNERS_(TASK_BROKER_URI|AUTH_TOKEN)$/;
const SHELLS = /(^|\/)(sh|bash|ash|dash)$/;

export function roleOf(service: DeploymentService, entrypoint: string[] | undefined): { role?: ServiceRole; n8nImage: boolean } {
  const n8nImage = isN8nImage(service.image);
  const keys = Object.keys(service.environment);
  if (RUNNER_IMAGE.test(service.image ?? '')) return { role: 'runner', n8nImage };
  const built = service.image === undefined && service.build;
  if (built && keys.some((key) => RUNNER_SETTING.test(key)) && keys.some((key) => key === 'N8N_RUNNERS_TASK_BROKER_URI') && !keys.some(isN8nSetting)) {
    return { role: 'runner', n8nImage };
  }
  if (!n8nImage && !(built && keys.some(isN8nSetting))) return { n8nImage };
  return { role: commandRole(service.command, entrypoint), n8nImage };
}

function commandRole(command: string[] | undefined, entrypoint: string[] | undefined): ServiceRole {
  // A shell entrypoint runs its script once (the starter kit's `n8n import:credentials … && n8n import:workflow`).
  if (entrypoint?.[0] && SHELLS.test(entrypoint[0])) return 'task';
  const words = command?.[0] === 'n8n' ? command.slice(1) : (command ?? []);
  const first = words[0];
  if (first === undefined || first === 'start') return 'main';
  if (first === 'worker' || first === 'webhook') return first;
  return 'task';
}
