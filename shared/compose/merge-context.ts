/** What the merge steps share while they edit one existing compose file. */
import type { Document } from 'yaml';
import type { Warning } from '../errors.js';
import type { N8nServiceSpec } from './compose-spec.js';
import type { YamlTextEditor } from './yaml-text-editor.js';

/** A service as Compose reads it (merge keys and aliases resolved). */
export type ResolvedService = {
  image?: unknown;
  ports?: unknown;
  labels?: unknown;
  volumes?: unknown;
  secrets?: unknown;
  environment?: unknown;
} | null;

/** The file as Compose reads it, before any change: `doc.toJS()`. */
export interface ResolvedCompose {
  services?: Record<string, ResolvedService>;
}

export interface MergeContext {
  doc: Document;
  resolved: ResolvedCompose;
  editor: YamlTextEditor;
  spec: N8nServiceSpec;
  /** The identified n8n service's name, for changed keys and messages. */
  serviceName: string;
  /** Every n8n service that gets the settings (main, workers, webhook processors), when there are several. */
  n8nServices?: readonly string[];
  /** In an override file only the service's entries are written: no image, ports or proxy service. */
  override: boolean;
  warnings: Warning[];
  /** Compose-level paths of what changed, e.g. `services.n8n.environment.N8N_SMTP_PASS_FILE`. */
  changedKeys: string[];
}
