/**
 * How every compose document is read and written: the yaml library (Document API) with merge keys (`<<`,
 * which Compose supports) and the compose string tag, and the layout (indent, sequence style, line
 * ending) that new text must follow to look like the file it goes into.
 */
import { Document, isMap, isNode, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { DocumentOptions, Node, ParseOptions, SchemaOptions, ToStringOptions, YAMLMap, YAMLSeq } from 'yaml';
import { SetupError } from '../errors.js';
import { composeStringTag } from './encode-compose-value.js';

export const COMPOSE_DOCUMENT_OPTIONS: DocumentOptions & ParseOptions & SchemaOptions = {
  merge: true,
  customTags: [composeStringTag],
};

export interface Layout {
  /** Spaces per nesting level of maps. */
  indent: number;
  /** Spaces between a key and the `-` of its block sequence items (`key:\n  - item`: 2; `key:\n- item`: 0). */
  seqIndent: number;
  eol: '\n' | '\r\n';
}

export const DEFAULT_LAYOUT: Layout = { indent: 2, seqIndent: 2, eol: '\n' };

export function parseComposeDocument(text: string): Document.Parsed {
  return parseDocument(text, COMPOSE_DOCUMENT_OPTIONS);
}

/** Aliases a compose file may expand into (the yaml library's own default, stated): real files use a few. */
export const MAX_ALIAS_COUNT = 100;

/**
 * The document as plain data (aliases and merge keys resolved), as Compose reads it. Aliases of aliases
 * that would expand past MAX_ALIAS_COUNT copies (a "billion laughs" file, which exhausts memory) are
 * COMPOSE_TOO_MANY_ALIASES; any other error of the yaml library is rethrown for the caller to word.
 */
export function resolveComposeDocument(doc: Document.Parsed, fileName: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias count/i.test(error.message)) throw error;
    throw new SetupError({
      code: 'COMPOSE_TOO_MANY_ALIASES',
      field: 'compose',
      message: `${fileName} uses YAML aliases (*name) that expand to more than ${MAX_ALIAS_COUNT} copies, the shape of a "billion laughs" file that exhausts memory. It was not read, and nothing was changed.`,
      fix: `Write the repeated parts out, or reuse anchors fewer times; a compose file needs only a few aliases. Then run the setup again.`,
    });
  }
}

export function newComposeDocument(): Document {
  return new Document(undefined, COMPOSE_DOCUMENT_OPTIONS);
}

export function toStringOptions(layout: Layout): ToStringOptions {
  // lineWidth 0: never fold; aliases may point at anchors outside a rendered fragment.
  return { lineWidth: 0, indent: layout.indent, indentSeq: layout.seqIndent > 0, verifyAliasOrder: false };
}

/**
 * The text of `node` to stand at `column` of an existing file: the first line unpadded, the others padded.
 * Block collections are laid out like the file (the yaml library cannot indent maps by 4 and sequences by
 * 0); keys, scalars and flow collections are written by the yaml library.
 */
export function renderYaml(node: unknown, layout: Layout, column: number): string {
  return renderLines(node, layout, column).join(layout.eol);
}

function renderLines(node: unknown, layout: Layout, column: number): string[] {
  const pad = (i: number) => (i === 0 ? '' : ' '.repeat(column));
  if (isBlockCollection(node) && isMap(node)) {
    return node.items.flatMap((pair, i) => {
      const blank = i > 0 && (pair.key as { spaceBefore?: boolean } | null)?.spaceBefore ? [''] : [];
      const key = `${pad(i)}${renderInline(pair.key)}:`;
      if (!isBlockCollection(pair.value)) return [...blank, pair.value === null ? key : `${key} ${renderInline(pair.value)}`];
      const childColumn = column + (isSeq(pair.value) ? layout.seqIndent : layout.indent);
      const [first, ...rest] = renderLines(pair.value, layout, childColumn);
      return [...blank, key, ' '.repeat(childColumn) + first, ...rest];
    });
  }
  if (isBlockCollection(node)) {
    return node.items.flatMap((item, i) => {
      const [first, ...rest] = isBlockCollection(item) ? renderLines(item, layout, column + 2) : [renderInline(item)];
      return [`${pad(i)}- ${first}`, ...rest];
    });
  }
  return [renderInline(node)];
}

/**
 * An existing collection written again as a whole (flow style, or items that do not start their own line),
 * with its comments, by the yaml library; lines after the first padded to `column`.
 */
export function rewriteYaml(node: Node, layout: Layout, column: number): string {
  const doc = newComposeDocument();
  doc.contents = node;
  const lines = doc.toString(toStringOptions(layout)).replace(/\n$/, '').split('\n');
  return lines.map((line, i) => (i === 0 || line === '' ? line : ' '.repeat(column) + line)).join(layout.eol);
}

function isBlockCollection(node: unknown): node is YAMLMap | YAMLSeq {
  return (isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0;
}

/** A key, scalar, alias or flow collection, written on one line by the yaml library. */
function renderInline(node: unknown): string {
  const doc = newComposeDocument();
  doc.contents = isNode(node) ? node : doc.createNode(node);
  return doc.toString(toStringOptions(DEFAULT_LAYOUT)).replace(/\n$/, '');
}

/** The column (0-based) of offset `pos` in `text`. */
export function columnOf(text: string, pos: number): number {
  return pos - (text.lastIndexOf('\n', pos - 1) + 1);
}

/** The layout an existing file uses, read from its first nested block map and block sequence. */
export function detectLayout(text: string, doc: Document): Layout {
  let indent: number | undefined;
  let seqIndent: number | undefined;
  visit(doc, {
    Pair(_key, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) return;
      const keyColumn = columnOf(text, pair.key.range[0]);
      const value = pair.value;
      if (indent === undefined && isMap(value) && !value.flow) {
        const first = value.items[0];
        if (first && isScalar(first.key) && first.key.range) {
          const step = columnOf(text, first.key.range[0]) - keyColumn;
          if (step > 0) indent = step;
        }
      }
      if (seqIndent === undefined && isSeq(value) && !value.flow) {
        const first = value.items[0] as Node | undefined;
        if (first?.range) seqIndent = Math.max(0, dashColumn(text, first.range[0]) - keyColumn);
      }
      if (indent !== undefined && seqIndent !== undefined) return visit.BREAK;
      return undefined;
    },
  });
  return {
    indent: indent ?? DEFAULT_LAYOUT.indent,
    seqIndent: seqIndent ?? DEFAULT_LAYOUT.seqIndent,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/** The column of the `-` that introduces the sequence item starting at `itemStart`. */
export function dashColumn(text: string, itemStart: number): number {
  return columnOf(text, text.lastIndexOf('-', itemStart - 1));
}
