/**
 * The secrets an admin typed in this session (the app's or `serve`'s process), held in memory only, each
 * bound to the server it was typed for: host (any case), port and user. A test, a review and an export
 * for that server use it without asking again; a profile that points elsewhere does not get it. Never
 * written anywhere; gone when the process ends or `forget` is called.
 */
import type { SecretKindName } from '../../shared/n8n/n8n-variables.js';
import type { SmtpEndpoint } from '../../shared/smtp/smtp-endpoint.js';

export class SessionSecrets {
  readonly #held = new Map<string, string>();

  remember(kind: SecretKindName, endpoint: SmtpEndpoint, value: string): void {
    this.#held.set(keyOf(kind, endpoint), value);
  }

  get(kind: SecretKindName, endpoint: SmtpEndpoint): string | undefined {
    return this.#held.get(keyOf(kind, endpoint));
  }

  /** The kinds held for this server. */
  heldFor(endpoint: SmtpEndpoint, kinds: readonly SecretKindName[]): SecretKindName[] {
    return kinds.filter((kind) => this.#held.has(keyOf(kind, endpoint)));
  }

  /** Forgets every secret of the session; returns how many there were. */
  forget(): number {
    const count = this.#held.size;
    this.#held.clear();
    return count;
  }
}

function keyOf(kind: SecretKindName, { host, port, user }: SmtpEndpoint): string {
  return JSON.stringify([kind, host.toLowerCase(), port, user]);
}
