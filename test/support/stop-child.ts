/** Stops a server the test started as its child (SIGTERM) and waits until it has exited. */
import type { ChildProcess } from 'node:child_process';

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await gone;
}
