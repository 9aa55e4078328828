import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { SmtpTestResult } from '../../shared/smtp/smtp-test-result.js';
import { expectNoSecret } from './secret-leaks.js';
import { allResults, n8nVariables, PASSWORD, runTest, USER } from './smtp-test-setup.js';
import { startDroppingListener, startSilentListener } from './unresponsive-listeners.js';

/** Sockets and timers alive in this process, by kind (TCPSocketWrap, Timeout, …). */
function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

async function cancelAfter(ms: number, run: (signal: AbortSignal) => Promise<SmtpTestResult>) {
  const controller = new AbortController();
  const pending = run(controller.signal);
  await sleep(ms);
  const abortedAt = performance.now();
  controller.abort();
  const result = await pending;
  return { result, settleMs: performance.now() - abortedAt };
}

afterAll(() => {
  for (const result of allResults) expectNoSecret(result, PASSWORD, USER);
});

describe('cancelling a test', () => {
  it('settles with CANCELLED within 1 s while waiting for a greeting; the server sees the disconnect and no handle stays open', async () => {
    const silent = await startSilentListener();
    const before = activeResources();
    const { result, settleMs } = await cancelAfter(300, (signal) => runTest({ variables: n8nVariables(silent.port) }, { signal }));

    expect(result).toMatchObject({ ok: false, class: 'CANCELLED', kind: 'cancelled', stage: 'connect' });
    expect(settleMs).toBeLessThan(1000);
    await sleep(50);
    expect(silent.connections).toBe(1);
    expect(silent.disconnects).toBe(1);
    const after = activeResources();
    expect(after.TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0);
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
    await silent.close();
  });

  it('also closes the TLS probe started after 1.5 s of silence', async () => {
    const silent = await startSilentListener();
    const before = activeResources();
    const { result, settleMs } = await cancelAfter(1_700, (signal) => runTest({ variables: n8nVariables(silent.port) }, { signal }));

    expect(result.class).toBe('CANCELLED');
    expect(settleMs).toBeLessThan(1000);
    await sleep(50);
    expect(silent.connections).toBe(2);
    expect(silent.disconnects).toBe(2);
    expect(activeResources().TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0);
    await silent.close();
  });

  it('cancels a connect that hangs (firewall drop) without waiting for its deadline', async () => {
    const dropping = await startDroppingListener();
    const before = activeResources();
    const { result, settleMs } = await cancelAfter(300, (signal) => runTest({ variables: n8nVariables(dropping.port) }, { signal }));

    expect(result).toMatchObject({ class: 'CANCELLED', stage: 'resolve' });
    expect(settleMs).toBeLessThan(1000);
    await sleep(50);
    expect(activeResources().TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0);
    await dropping.close();
  });

  it('returns CANCELLED without connecting when the signal is already aborted', async () => {
    const silent = await startSilentListener();
    const result = await runTest({ variables: n8nVariables(silent.port) }, { signal: AbortSignal.abort() });
    expect(result.class).toBe('CANCELLED');
    await sleep(50);
    expect(silent.connections).toBe(0);
    await silent.close();
  });
});
