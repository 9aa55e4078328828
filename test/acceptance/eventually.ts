/** Bounded waits for something the servers of a test receive: asked every 100 ms, never forever. */
export async function eventually<T>(find: () => T | undefined, timeoutMs: number, missing: () => string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() - started > timeoutMs) throw new Error(`${missing()} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
