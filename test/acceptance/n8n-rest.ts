/**
 * The three calls of n8n's REST API a new instance's admin makes through the UI: set up the owner, invite
 * a user, and ask for a password reset. The session cookie is bound to a browser id, sent on every call as
 * the UI does. Each call is bounded by the time n8n needs to hand a message to the SMTP server and more.
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
