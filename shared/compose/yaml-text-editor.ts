/**
 * Edits a parsed YAML file in place and keeps every byte it was not asked to change. Changes are made on the
 * yaml Document nodes and written back as the smallest text edits: whole lines for items of block
 * collections, the value for a replaced value. A flow collection (`[a, b]`), or a block collection whose
 * items do not each start their own line, is written again as a whole by the yaml library.
 * New text is always produced by the yaml library (`renderYaml`), in the file's own layout.
 */
import { isCollection, isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';
import { columnOf, dashColumn, renderYaml, rewriteYaml } from './compose-document.js';
import type { Layout } from './compose-document.js';

type Collection = YAMLMap | YAMLSeq;
type Item = Pair | Node;

type Operation =
  | { kind: 'add'; item: Item; blankLineBefore: boolean }
  | { kind: 'remove'; item: Item }
  | { kind: 'replace'; item: Item; old: Node | null; value: Node };

interface Touched {
  /** The items before any change: additions take the first one's column and go after the last one. */
  items: Item[];
  ops: Operation[];
}

interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** Insertions at one offset: the deeper (inner) collection's lines come first. */
  column: number;
  order: number;
}

export class YamlTextEditor {
  private readonly touched = new Map<Collection, Touched>();
  /** Values of pairs before they were replaced: text positions come from the original nodes. */
  private readonly originalValues = new Map<Pair, Node | null>();

  constructor(
    private readonly text: string,
    private readonly layout: Layout,
  ) {}

  /** Sets `key` of `map` to `value`: replaces the value of an existing pair or appends a pair. */
  setValue(map: YAMLMap, key: string, value: Node, options: { blankLineBefore?: boolean } = {}): void {
    const pair = findPair(map, key);
    if (pair) {
      const old = this.originalValue(pair);
      if (!this.originalValues.has(pair)) this.originalValues.set(pair, old);
      this.touch(map).ops.push({ kind: 'replace', item: pair, old, value });
      pair.value = value;
    } else {
      const added = new Pair(new Scalar(key), value);
      this.touch(map).ops.push({ kind: 'add', item: added, blankLineBefore: options.blankLineBefore ?? false });
      map.items.push(added);
    }
  }

  removePair(map: YAMLMap, pair: Pair): void {
    this.touch(map).ops.push({ kind: 'remove', item: pair });
    map.items.splice(map.items.indexOf(pair), 1);
  }

  addItem(seq: YAMLSeq, value: Node): void {
    this.touch(seq).ops.push({ kind: 'add', item: value, blankLineBefore: false });
    seq.items.push(value);
  }

  replaceItem(seq: YAMLSeq, old: Node, value: Node): void {
    this.touch(seq).ops.push({ kind: 'replace', item: old, old, value });
    seq.items[seq.items.indexOf(old)] = value;
  }

  removeItem(seq: YAMLSeq, item: Node): void {
    this.touch(seq).ops.push({ kind: 'remove', item });
    seq.items.splice(seq.items.indexOf(item), 1);
  }

  /** Whether any change was made. */
  get changed(): boolean {
    return this.touched.size > 0;
  }

  /** The edited text. */
  toString(): string {
    const edits: TextEdit[] = [];
    for (const [collection, touched] of this.touched) {
      if (collection.flow || touched.items.length === 0 || !touched.ops.every((op) => this.startsOwnLine(op))) {
        edits.push(this.rewrite(collection));
      } else {
        for (const op of touched.ops) edits.push(this.lineEdit(collection, touched, op));
      }
    }
    edits.forEach((edit, order) => (edit.order = order));
    edits.sort((a, b) => a.start - b.start || a.end - b.end || b.column - a.column || a.order - b.order);
    let out = '';
    let cursor = 0;
    for (const edit of edits) {
      if (edit.start < cursor) throw new Error(`overlapping YAML edits at offset ${edit.start}`);
      out += this.text.slice(cursor, edit.start) + edit.text;
      cursor = edit.end;
    }
    return out + this.text.slice(cursor);
  }

  private touch(collection: Collection): Touched {
    let touched = this.touched.get(collection);
    if (!touched) {
      touched = { items: [...collection.items] as Item[], ops: [] };
      this.touched.set(collection, touched);
    }
    return touched;
  }

  private originalValue(pair: Pair): Node | null {
    return this.originalValues.has(pair) ? this.originalValues.get(pair)! : ((pair.value as Node | null) ?? null);
  }

  /** Where the content of a node or pair ended in the original text: its last character, not the comments or lines after it. */
  private contentEnd(item: Item): number {
    if (isPair(item)) {
      const value = this.originalValue(item);
      return value ? this.contentEnd(value) : (item.key as Node).range![1];
    }
    if (isCollection(item) && !item.flow) {
      const last = (this.touched.get(item)?.items ?? item.items).at(-1) as Item | undefined;
      if (last) return this.contentEnd(last);
    }
    return item.range![1];
  }

  /** Whether the item an operation removes or replaces begins its line (`key:` or `- item`). */
  private startsOwnLine(op: Operation): boolean {
    if (op.kind === 'add') return true;
    if (isPair(op.item)) return op.kind === 'replace' || onlyIndentBefore(this.text, itemStart(this.text, op.item));
    const start = op.item.range![0];
    return /^[ \t]*-[ \t]+$/.test(this.text.slice(lineStart(this.text, start), start));
  }

  private rewrite(collection: Collection): TextEdit {
    const start = collection.range![0];
    const text = rewriteYaml(collection, this.layout, columnOf(this.text, start));
    return { start, end: this.contentEnd(collection), text, column: 0, order: 0 };
  }

  private lineEdit(collection: Collection, touched: Touched, op: Operation): TextEdit {
    const { text, layout } = this;
    const first = touched.items[0]!;
    const column = isPair(first) ? columnOf(text, itemStart(text, first)) : dashColumn(text, (first as Node).range![0]);
    if (op.kind === 'add') {
      const at = lineEndAfter(text, this.contentEnd(touched.items.at(-1)!));
      const fragment = isMap(collection) ? new YAMLMap() : new YAMLSeq();
      fragment.items.push(op.item as never);
      const lead = (at === text.length && !text.endsWith('\n') ? layout.eol : '') + (op.blankLineBefore ? layout.eol : '');
      const body = ' '.repeat(column) + renderYaml(fragment, layout, column) + layout.eol;
      return { start: at, end: at, text: lead + body, column, order: 0 };
    }
    if (op.kind === 'remove') {
      const start = lineStart(text, itemStart(text, op.item));
      return { start, end: lineEndAfter(text, this.contentEnd(op.item)), text: '', column, order: 0 };
    }
    if (isPair(op.item)) return this.valueEdit(op.item, op.old, op.value, column);
    const old = op.old!;
    const rendered = renderYaml(op.value, layout, columnOf(text, old.range![0]));
    return { start: old.range![0], end: this.contentEnd(old), text: rendered, column, order: 0 };
  }

  /** Replaces the value of a block map pair, keeping its key (and its comments) as they are. */
  private valueEdit(pair: Pair, old: Node | null, value: Node, column: number): TextEdit {
    const { text, layout } = this;
    const colon = text.indexOf(':', (pair.key as Node).range![1]);
    const oldIsEmpty = !old || (isScalar(old) && old.range![0] === old.range![1]);
    const oldEnd = oldIsEmpty ? colon + 1 : this.contentEnd(old!);
    if (isCollection(value) && !value.flow && value.items.length > 0) {
      const childColumn = column + (isSeq(value) ? layout.seqIndent : layout.indent);
      const rendered = layout.eol + ' '.repeat(childColumn) + renderYaml(value, layout, childColumn);
      return { start: colon + 1, end: oldEnd, text: rendered, column, order: 0 };
    }
    const rendered = renderYaml(value, layout, column);
    if (oldIsEmpty || (isCollection(old) && !old.flow)) return { start: colon + 1, end: oldEnd, text: ' ' + rendered, column, order: 0 };
    return { start: old!.range![0], end: oldEnd, text: rendered, column, order: 0 };
  }
}

export function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => isScalar(pair.key) && pair.key.value === key) as Pair | undefined;
}

function itemStart(text: string, item: Item): number {
  if (isPair(item)) return (item.key as Node).range![0];
  const start = item.range![0];
  const dash = text.lastIndexOf('-', start - 1);
  return dash >= lineStart(text, start) ? dash : start;
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** The offset just after the line break that ends the line holding `pos` (or the end of the text). */
function lineEndAfter(text: string, pos: number): number {
  if (pos > 0 && text[pos - 1] === '\n') return pos;
  const newline = text.indexOf('\n', pos);
  return newline === -1 ? text.length : newline + 1;
}

function onlyIndentBefore(text: string, pos: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, pos), pos));
}
