/**
 * Test support: the real services and handler table over a throwaway data folder, with a memory secret
 * store (tests never reach the developer's keychain). Not imported by product code.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName } from '../../../shared/ipc/channel-names.js';
import { createMemorySecretStore } from '../../secrets/memory-secret-store.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import { createAppServices, type AppServices, type AppServicesOptions } from '../app-services.js';
import { createChannelHandlers } from '../channel-handlers.js';
import type { HandlerContext } from '../handler-context.js';
import { createHandlerTable, type HandlerTable } from '../handler-table.js';

export interface AppUnderTest {
  folder: string;
  services: AppServices;
  table: HandlerTable;
  secrets: SecretStore;
  /** A context as `serve` builds it, recording the events sent to the page. */
  context: HandlerContext & { events: Array<{ event: EventName; payload: unknown }> };
  remove(): Promise<void>;
}

export async function createAppUnderTest(options: Partial<AppServicesOptions> = {}): Promise<AppUnderTest> {
  const folder = await mkdtemp(join(tmpdir(), 'n8n-setup-app-'));
  const secrets = createMemorySecretStore();
  const services = createAppServices({
    dataFolder: join(folder, 'data'),
    homeFolder: folder,
    version: '9.9.9-test',
    secretStore: async () => secrets,
    // The machine's /opt and /srv only where a test asks for server folders of its own.
    serverFolders: [],
    ...options,
  });
  const events: Array<{ event: EventName; payload: unknown }> = [];
  return {
    folder,
    services,
    secrets,
    table: createHandlerTable(createChannelHandlers(services)),
    context: { transport: 'http', emit: (event, payload) => void events.push({ event, payload }), events },
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}
