/**
 * The workflows the queue-mode test publishes, as the editor saves them. Each reports what the process
 * running it computed to the test's loopback receiver (http-receiver.ts) with an HTTP Request node:
 *
 * - `credentialWorkflow`: a production webhook → a request authenticated by a saved Header Auth credential
 *   (decrypted where the workflow runs, with the deployment's encryption key), carrying `$execution.id`.
 * - `waitWorkflow`: a production webhook → report `$execution.resumeUrl` → Wait until that URL is called →
 *   report again. The resume URL is built by whichever process runs the execution, from its own settings.
 */
import { randomUUID } from 'node:crypto';

export const CREDENTIAL_HEADER = 'X-Queue-Proof';
export const CREDENTIAL_PATH = 'queue-mode-credential';
export const WAIT_PATH = 'queue-mode-wait';

/** The receiver paths the workflows post to. */
export const REPORTS = { credential: '/credential', resumeUrl: '/resume-url', resumed: '/resumed' } as const;

export interface Report {
  executionId: string;
  resumeUrl?: string;
}

interface Node {
  name: string;
  type: string;
  typeVersion: number;
  position: [number, number];
  parameters: Record<string, unknown>;
  webhookId?: string;
  credentials?: Record<string, { id: string; name: string }>;
}

const REPORT_BODY = '={{ JSON.stringify({ executionId: $execution.id, resumeUrl: $execution.resumeUrl }) }}';

function webhook(path: string, responseMode: 'lastNode' | 'onReceived'): Node {
  return {
    name: 'Webhook',
    type: 'n8n-nodes-base.webhook',
    typeVersion: 2,
    position: [0, 0],
    webhookId: randomUUID(),
    parameters: { httpMethod: 'POST', path, responseMode, options: {} },
  };
}

function report(name: string, url: string, x: number, credential?: { id: string; name: string }): Node {
  return {
    name,
    type: 'n8n-nodes-base.httpRequest',
    typeVersion: 4.2,
    position: [x, 0],
    parameters: {
      method: 'POST',
      url,
      ...(credential && { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' }),
      sendBody: true,
      specifyBody: 'json',
      jsonBody: REPORT_BODY,
      options: {},
    },
    ...(credential && { credentials: { httpHeaderAuth: credential } }),
  };
}

/** Main → next, one after another. */
function chain(nodes: Node[]): Record<string, unknown> {
  return Object.fromEntries(nodes.slice(0, -1).map((node, i) => [node.name, { main: [[{ node: nodes[i + 1]?.name, type: 'main', index: 0 }]] }]));
}

export function credentialWorkflow(receiverUrl: string, credential: { id: string; name: string }) {
  const nodes = [webhook(CREDENTIAL_PATH, 'lastNode'), report('Report with credential', `${receiverUrl}${REPORTS.credential}`, 220, credential)];
  return { name: 'Queue mode: credential', nodes, connections: chain(nodes) };
}

export function waitWorkflow(receiverUrl: string) {
  const wait: Node = { name: 'Wait', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [440, 0], webhookId: randomUUID(), parameters: { resume: 'webhook', httpMethod: 'POST', options: {} } };
  const nodes = [webhook(WAIT_PATH, 'onReceived'), report('Report resume URL', `${receiverUrl}${REPORTS.resumeUrl}`, 220), wait, report('Report resumed', `${receiverUrl}${REPORTS.resumed}`, 660)];
  return { name: 'Queue mode: wait', nodes, connections: chain(nodes) };
}

export function readReport(body: string): Report {
  const parsed = JSON.parse(body) as Partial<Report>;
  if (typeof parsed.executionId !== 'string') throw new Error(`a report without an execution id: ${body}`);
  return { executionId: parsed.executionId, ...(typeof parsed.resumeUrl === 'string' && { resumeUrl: parsed.resumeUrl }) };
}
