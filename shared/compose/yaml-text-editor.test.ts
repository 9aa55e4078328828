import { describe, expect, it } from 'vitest';
import { isMap, isSeq, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Document } from 'yaml';
import { detectLayout, parseComposeDocument } from './compose-document.js';
import { encodeComposeValue } from './encode-compose-value.js';
import { findPair, YamlTextEditor } from './yaml-text-editor.js';

function editing(text: string): { doc: Document; editor: YamlTextEditor; map: (...path: string[]) => YAMLMap; seq: (...path: string[]) => YAMLSeq } {
  const doc = parseComposeDocument(text);
  const editor = new YamlTextEditor(text, detectLayout(text, doc));
  const node = (path: string[]) => (path.length === 0 ? doc.contents : doc.getIn(path, true));
  return {
    doc,
    editor,
    map: (...path) => {
      const found = node(path);
      if (!isMap(found)) throw new Error(`${path.join('.')} is not a map`);
      return found;
    },
    seq: (...path) => {
      const found = node(path);
      if (!isSeq(found)) throw new Error(`${path.join('.')} is not a list`);
      return found;
    },
  };
}

describe('YamlTextEditor', () => {
  it('returns the text unchanged when nothing was edited', () => {
    const text = 'a:   1  # spacing and comments kept\n\n\nb: [ x,y ]\n';
    expect(editing(text).editor.toString()).toBe(text);
  });

  it('replaces a value and keeps the key, its spacing and the trailing comment', () => {
    const { editor, map } = editing('svc:\n  image:   old:1   # pinned\n  restart: always\n');
    editor.setValue(map('svc'), 'image', encodeComposeValue('new:2'));
    expect(editor.toString()).toBe('svc:\n  image:   "new:2"   # pinned\n  restart: always\n');
  });

  it('appends a pair on its own line after the last item, before trailing comments and blank lines', () => {
    const { editor, map } = editing('env:\n  A: "1"\n  # B: "2" (disabled)\n\nnext: {}\n');
    editor.setValue(map('env'), 'C', encodeComposeValue('3'));
    expect(editor.toString()).toBe('env:\n  A: "1"\n  C: "3"\n  # B: "2" (disabled)\n\nnext: {}\n');
  });

  it('writes new nested entries in the file\'s layout: 4-space maps, unindented lists', () => {
    const { editor, map } = editing('services:\n    n8n:\n        ports:\n        - "1:1"\n');
    editor.setValue(map('services', 'n8n'), 'env_file', seqOf('.env'));
    expect(editor.toString()).toBe('services:\n    n8n:\n        ports:\n        - "1:1"\n        env_file:\n        - ".env"\n');
  });

  it('removes an item as whole lines, its trailing comment with it', () => {
    const { editor, map } = editing('env:\n  A: "1"   # old\n  B: "2"\n');
    editor.removePair(map('env'), findPair(map('env'), 'A')!);
    expect(editor.toString()).toBe('env:\n  B: "2"\n');
  });

  it('adds, replaces and removes list items', () => {
    const { editor, seq } = editing('list:\n  - a\n  - b   # keep me\n  - c\n');
    const [a, , c] = seq('list').items as Scalar[];
    editor.removeItem(seq('list'), a!);
    editor.replaceItem(seq('list'), c!, encodeComposeValue('C'));
    editor.addItem(seq('list'), encodeComposeValue('d'));
    expect(editor.toString()).toBe('list:\n  - b   # keep me\n  - "C"\n  - "d"\n');
  });

  it('writes a flow collection again as a whole with the yaml library', () => {
    const { editor, seq } = editing('env_file: [a.env]\nports: ["1:1"]\n');
    editor.addItem(seq('env_file'), encodeComposeValue('.env'));
    expect(editor.toString()).toBe('env_file: [ a.env, ".env" ]\nports: ["1:1"]\n');
  });

  it('turns an empty value into a block collection under its key', () => {
    const { editor, map } = editing('svc:\n  environment:\n  image: x\n');
    editor.setValue(map('svc'), 'environment', mapOf(['A', '1']));
    expect(editor.toString()).toBe('svc:\n  environment:\n    A: "1"\n  image: x\n');
  });

  it('puts an inner collection\'s new lines before the outer one\'s when both end on the same line', () => {
    const { editor, map } = editing('svc:\n  environment:\n    A: "1"\ntop: 1\n');
    editor.setValue(map('svc'), 'image', encodeComposeValue('x'));
    editor.setValue(map('svc', 'environment'), 'B', encodeComposeValue('2'));
    expect(editor.toString()).toBe('svc:\n  environment:\n    A: "1"\n    B: "2"\n  image: "x"\ntop: 1\n');
  });

  it('adds the missing line break when the file does not end with one', () => {
    const { editor, map } = editing('a: 1');
    editor.setValue(map(), 'b', encodeComposeValue('2'), { blankLineBefore: true });
    expect(editor.toString()).toBe('a: 1\n\nb: "2"\n');
  });

  it('keeps CRLF line endings', () => {
    const { editor, map } = editing('env:\r\n  A: "1"\r\n');
    editor.setValue(map('env'), 'B', encodeComposeValue('2'));
    expect(editor.toString()).toBe('env:\r\n  A: "1"\r\n  B: "2"\r\n');
  });
});

function seqOf(...items: string[]): YAMLSeq {
  const seq = new YAMLSeq();
  seq.items.push(...items.map((item) => encodeComposeValue(item)));
  return seq;
}

function mapOf(...entries: Array<[string, string]>): YAMLMap {
  const map = new YAMLMap();
  for (const [key, value] of entries) map.set(new Scalar(key), encodeComposeValue(value));
  return map;
}
