/**
 * A deadline for keychain calls. keytar runs each call on a libuv worker thread that cannot be cancelled:
 * a stopped keyring daemon holds it for two D-Bus timeouts (about 50 s), a waiting prompt for as long as
 * nobody answers. So the caller is answered at the deadline. A call that can be ended (its helper process
 * killed) is ended; one that cannot is counted until it settles, and while one is outstanding new calls are
 * refused at once instead of piling more threads onto a dead backend.
 */
export const KEYCHAIN_DEADLINE_MS = 10_000;

export class DeadlineExceeded extends Error {
  constructor(readonly deadlineMs: number) {
    super(`no answer within ${deadlineMs} ms`);
    this.name = 'DeadlineExceeded';
  }
}

export interface CallGuard {
  /** Calls that missed their deadline and have not settled yet. */
  readonly lateCalls: number;
  /** `abandon`: ends the call for good when its deadline passes (then it is not counted as late). */
  run<T>(call: () => Promise<T>, abandon?: () => void): Promise<T>;
}

export function createCallGuard(deadlineMs: number): CallGuard {
  let late = 0;
  return {
    get lateCalls() {
      return late;
    },
    run<T>(call: () => Promise<T>, abandon?: () => void): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let missed = false;
        let counted = false;
        const timer = setTimeout(() => {
          missed = true;
          if (abandon) abandon();
          else counted = (late++, true);
          reject(new DeadlineExceeded(deadlineMs));
        }, deadlineMs);
        const settle = () => {
          clearTimeout(timer);
          if (counted) late--;
          return !missed;
        };
        // Promise.resolve().then: keytar throws synchronously for empty arguments.
        Promise.resolve()
          .then(call)
          .then(
            (value) => settle() && resolve(value),
            (error: unknown) => settle() && reject(error),
          );
      });
    },
  };
}
