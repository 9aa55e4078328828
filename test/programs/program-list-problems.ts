/**
 * Compares what the test code runs with scripts/test-programs.txt: each problem is one sentence naming the
 * file, the line and the fix. Empty when every program run is listed, run by its Debian path (test code) or
 * its listed name (shell scripts), and every `run` entry of the list is run somewhere.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ListedProgramEntry } from '../../scripts/test-programs.mjs';
import { shellCommands } from './shell-commands.js';
import { nameOf, spawnedPrograms, type RunProgram } from './spawned-programs.js';

export interface SourceFile {
  /** Relative to the repository, with forward slashes. */
  path: string;
  source: string;
  /** Where it is on disk, to follow its relative imports. */
  absolutePath?: string;
}

const CODE = /\.(ts|tsx|mts|mjs|js|cjs)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'out', 'dist', 'release', 'coverage', 'test-results', 'fixtures']);

/** The files whose programs must be listed: test/, e2e/, scripts/, .ci/, and every test file or test-support folder elsewhere. */
export function testCodeFiles(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string, inScope: boolean): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(root, path).split('\\').join('/');
      if (statSync(path).isDirectory()) {
        if (!SKIPPED_FOLDERS.has(name)) walk(path, inScope || name === 'test-support' || ['test', 'e2e', 'scripts', '.ci'].includes(rel));
        continue;
      }
      const isShell = name.endsWith('.sh') || rel.startsWith('.ci/');
      if (!isShell && !CODE.test(name)) continue;
      // The checker's own tests name unlisted programs on purpose, and run none.
      if (rel.startsWith('test/programs/')) continue;
      if (inScope || /\.test\.tsx?$/.test(name)) files.push({ path: rel, absolutePath: path, source: readFileSync(path, 'utf8') });
    }
  };
  walk(root, false);
  return files;
}

interface Found extends RunProgram {
  file: string;
  shell: boolean;
}

export function programListProblems(files: readonly SourceFile[], list: readonly ListedProgramEntry[]): string[] {
  const problems: string[] = [];
  const byName = new Map(list.filter((entry) => entry.name !== '-').map((entry) => [entry.name, entry]));
  const byPath = new Map(list.filter((entry) => entry.path.startsWith('/')).map((entry) => [entry.path, entry]));
  const used = new Set<string>();

  for (const entry of list) {
    if (entry.path !== '-' && !entry.path.startsWith('/')) problems.push(`scripts/test-programs.txt:${entry.line}: ${entry.name}'s path "${entry.path}" is not absolute (Debian's path, or - for the Node that runs the tests)`);
    if (entry.how !== 'run' && !entry.how.startsWith('indirect:')) problems.push(`scripts/test-programs.txt:${entry.line}: HOW must be "run" or "indirect: who runs it", not "${entry.how}"`);
  }
  const names = list.map((entry) => entry.name).filter((name) => name !== '-');
  for (const name of new Set(names.filter((name, index) => names.indexOf(name) !== index))) problems.push(`scripts/test-programs.txt lists ${name} twice`);

  for (const found of files.flatMap(programsOf)) {
    const where = `${found.file}:${found.line}`;
    const { ref } = found;
    if (ref.kind === 'node' || ref.kind === 'typed') {
      if (ref.kind === 'node') used.add('node');
      continue;
    }
    if (ref.kind === 'unknown') {
      problems.push(`${where} runs a program this test cannot name (${ref.text}): pass testProgram('NAME') from scripts/test-programs.mjs, or a parameter typed ListedProgram`);
      continue;
    }
    const name = nameOf(ref);
    if (ref.kind === 'listed') {
      if (byName.has(name)) used.add(name);
      else problems.push(`${where} runs ${name}, which scripts/test-programs.txt does not list: add it with its Debian path and package`);
      continue;
    }
    if (name.startsWith('/')) {
      const entry = byPath.get(name);
      if (entry) used.add(entry.name);
      else problems.push(`${where} runs ${name}, which scripts/test-programs.txt does not list: add it with its Debian path and package`);
      continue;
    }
    const entry = byName.get(name);
    if (!entry) problems.push(`${where} runs ${name}, which scripts/test-programs.txt does not list: add it with its Debian path and package`);
    else if (!found.shell && entry.path !== '-') problems.push(`${where} runs ${name} from PATH, which may hold another copy: use testProgram('${name}') (${entry.path})`);
    else used.add(name);
  }

  for (const entry of list) {
    if (entry.how === 'run' && entry.name !== '-' && !used.has(entry.name)) {
      problems.push(`scripts/test-programs.txt:${entry.line}: nothing runs ${entry.name}: remove the line, or say who runs it ("indirect: …")`);
    }
  }
  return problems;
}

function programsOf(file: SourceFile): Found[] {
  const isShell = file.path.endsWith('.sh') || file.path.startsWith('.ci/') || file.source.startsWith('#!/bin/sh') || /^#!.*\b(ba)?sh\b/.test(file.source);
  if (isShell) {
    return shellCommands(file.source).commands.map((command) => ({ ref: { kind: 'literal', value: command.name }, line: command.line, via: 'shell', file: file.path, shell: true }));
  }
  return spawnedPrograms(file.absolutePath ?? file.path, file.source).map((found) => ({ ...found, file: file.path, shell: found.via === 'sh -c' }));
}
