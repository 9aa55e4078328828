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
  /** SSH key passphrases, by the key file ssh names. */
  readonly #keys = new Map<string, string>();

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

  /** A key's passphrase, typed when ssh needed it: answered to ssh for that key file only. */
  rememberKeyPassphrase(key: string, value: string): void {
    this.#keys.set(key, value);
  }

  keyPassphrase(key: string): string | undefined {
    return this.#keys.get(key);
  }

  /** Forgets every secret of the session, key passphrases included; returns how many there were. */
  forget(): number {
    const count = this.#held.size + this.#keys.size;
    this.#held.clear();
    this.#keys.clear();
    return count;
  }
}

function keyOf(kind: SecretKindName, { host, port, user }: SmtpEndpoint): string {
  return JSON.stringify([kind, host.toLowerCase(), port, user]);
}
