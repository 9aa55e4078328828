/**
 * The calls of n8n's REST API a new instance's admin makes through the UI: set up the owner, invite a user,
 * ask for a password reset, save a credential and a workflow and publish it. The session cookie is bound
 * to a browser id, sent on every call as the UI does. Each call is bounded by the time n8n needs to hand a
 * message to the SMTP server and more.
 */
const CALL_TIMEOUT_MS = 45_000;
const BROWSER_ID = 'n8n-setup-acceptance';

export const OWNER = { email: 'owner@example.test', firstName: 'Olive', lastName: 'Owner', password: 'Acceptance-Pass-1' };
export const INVITEE = 'invitee@example.test';

export interface Invitation {
  user: { id: string; email: string; emailSent: boolean; inviteAcceptUrl?: string };
  error?: string;
}

export interface RestAnswer<T> {
  status: number;
  body: T;
}

export class N8nRest {
  private cookie = '';

  constructor(private readonly baseUrl: string) {}

  async setupOwner(): Promise<void> {
    const answer = await this.call('POST', '/rest/owner/setup', OWNER);
    if (answer.status !== 200) throw new Error(`owner setup answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }

  async invite(email = INVITEE): Promise<Invitation> {
    const answer = await this.call<{ data: Invitation[] }>('POST', '/rest/invitations', [{ email, role: 'global:member' }]);
    const invitation = answer.body.data?.[0];
    if (answer.status !== 200 || !invitation) throw new Error(`invitation answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return invitation;
  }

  async forgotPassword(email = OWNER.email): Promise<RestAnswer<unknown>> {
    return this.call('POST', '/rest/forgot-password', { email });
  }

  /** Saves a credential (n8n encrypts its data with the instance's encryption key); returns its id. */
  async createCredential(credential: { name: string; type: string; data: Record<string, string> }): Promise<{ id: string; name: string }> {
    const answer = await this.call<{ data?: { id: string; name: string } }>('POST', '/rest/credentials', credential);
    if (answer.status !== 200 || !answer.body.data) throw new Error(`saving the credential answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.data;
  }

  /** Saves a workflow and publishes (activates) it: its production webhooks answer from then on. */
  async publishWorkflow(workflow: { name: string; nodes: unknown[]; connections: unknown }): Promise<string> {
    const saved = await this.call<{ data?: { id: string; versionId: string } }>('POST', '/rest/workflows', { ...workflow, settings: { executionOrder: 'v1' } });
    const data = saved.body.data;
    if (saved.status !== 200 || !data) throw new Error(`saving workflow "${workflow.name}" answered ${saved.status}: ${JSON.stringify(saved.body)}`);
    const activated = await this.call('POST', `/rest/workflows/${data.id}/activate`, { versionId: data.versionId });
    if (activated.status !== 200) throw new Error(`publishing workflow "${workflow.name}" answered ${activated.status}: ${JSON.stringify(activated.body)}`);
    await this.publication(data.id, workflow.name);
    return data.id;
  }

  /** n8n publishes through an outbox, a moment after the call: waits until every trigger is live. */
  private async publication(workflowId: string, name: string): Promise<void> {
    const started = Date.now();
    for (;;) {
      const answer = await this.call<{ data?: { status: string; triggers: unknown[] } }>('GET', `/rest/workflows/${workflowId}/publication-status`);
      const status = answer.body.data?.status;
      if (status === 'published') return;
      if (answer.status !== 200 || status === 'failed' || status === 'partial' || Date.now() - started > CALL_TIMEOUT_MS) {
        throw new Error(`workflow "${name}" was not published: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Every user n8n knows by exactly this address (pending ones too). */
  async usersByEmail(email: string): Promise<Array<{ id: string; email: string; isPending: boolean }>> {
    const answer = await this.call<{ data?: { items?: Array<{ id: string; email: string; isPending: boolean }> } }>('GET', `/rest/users?filter=${encodeURIComponent(JSON.stringify({ email }))}&take=50`);
    if (answer.status !== 200) throw new Error(`listing users answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return (answer.body.data?.items ?? []).filter((user) => user.email === email);
  }

  /** Turns on two-factor login for the signed-in owner, as the settings page does; returns the TOTP secret. */
  async enableMfa(codeFor: (secret: string) => string): Promise<string> {
    const qr = await this.call<{ data?: { secret?: string } }>('GET', '/rest/mfa/qr');
    const secret = qr.body.data?.secret;
    if (qr.status !== 200 || !secret) throw new Error(`the MFA secret answered ${qr.status}: ${JSON.stringify(qr.body)}`);
    const enabled = await this.call('POST', '/rest/mfa/enable', { mfaCode: codeFor(secret) });
    if (enabled.status !== 200) throw new Error(`enabling MFA answered ${enabled.status}: ${JSON.stringify(enabled.body)}`);
    return secret;
  }

  async publicSettings(): Promise<RestAnswer<{ data: Record<string, unknown> }>> {
    return this.call('GET', '/rest/settings');
  }

  private async call<T = unknown>(method: string, path: string, body?: unknown): Promise<RestAnswer<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, ...(this.cookie && { cookie: this.cookie }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    const auth = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
    if (auth) this.cookie = auth.split(';')[0] ?? '';
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}
