/** Free loopback ports for the servers the acceptance tier starts (n8n, its task broker, Redis, Postgres). */
import { createServer, type AddressInfo } from 'node:net';

/** Ports nothing listens on right now (the kernel's choice, all held until each is known), for the servers a test starts. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}
