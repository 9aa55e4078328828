/**
 * One real n8n, started in a container view and stopped with its task runners. Ready means n8n printed
 * "Editor is now accessible" (after its migrations) and /healthz answers; every wait is bounded, and a
 * failed start reports n8n's own log.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { IN_CONTAINER, type ContainerSpec } from './container-view.js';
import { spawnInContainer, stopGroup } from './run-in-container.js';

export interface N8nInstance {
  /** Where this machine reaches it (loopback, n8n's own port: no proxy in between). */
  url: string;
  /** Everything n8n printed so far, stdout and stderr interleaved. */
  log(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 150_000;

export async function startN8n(spec: ContainerSpec, scratch: string): Promise<N8nInstance> {
  const port = Number(spec.environment.N8N_PORT);
  const child = spawnInContainer(spec, scratch, [IN_CONTAINER.node, IN_CONTAINER.n8n, 'start']);
  child.stdin?.end();
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const instance: N8nInstance = { url: `http://127.0.0.1:${port}`, log: () => output, stop: () => stopGroup(child) };
  try {
    await waitUntilReady(child, instance);
  } catch (error) {
    await instance.stop();
    throw error;
  }
  return instance;
}

async function waitUntilReady(child: ChildProcess, instance: N8nInstance): Promise<void> {
  const started = Date.now();
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited (${signal ?? code})`));
  while (Date.now() - started < START_TIMEOUT_MS) {
    if (exited) throw new Error(`n8n ${exited} before it was ready:\n${tail(instance.log())}`);
    if (instance.log().includes('Editor is now accessible via') && (await answers(`${instance.url}/healthz`))) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`n8n was not ready after ${START_TIMEOUT_MS / 1000} s:\n${tail(instance.log())}`);
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

function tail(log: string): string {
  return log.split('\n').slice(-40).join('\n');
}

/** Ports nothing listens on right now (the kernel's choice, all held until each is known), for n8n and its task broker. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}
