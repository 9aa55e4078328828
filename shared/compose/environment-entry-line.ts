/**
 * Where a compose file sets a service's variable: the line of its `environment:` entry, in the service or in
 * the anchored map it merges (which is where Compose reads it from, and where an edit lands).
 */
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { COMPOSE_DOCUMENT_OPTIONS } from './compose-document.js';
import { listEntry } from './n8n-service-entries.js';
import { fieldHolder, serviceMap } from './service-field-holder.js';
import { findPair } from './yaml-text-editor.js';

/** Reads the file once; the finder answers the 1-based line of `service`'s entry for `key`, or undefined. */
export function environmentEntryLines(text: string): (service: string, key: string) => number | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...COMPOSE_DOCUMENT_OPTIONS, lineCounter });
  return (service, key) => {
    const map = serviceMap(doc, service);
    const environment = map && findPair(fieldHolder(doc, map, 'environment').map, 'environment')?.value;
    const entry = isMap(environment) ? findPair(environment, key)?.key : isSeq(environment) ? environment.items.find((item) => listEntry(item)?.key === key) : undefined;
    const offset = (entry as Node | undefined)?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
}
