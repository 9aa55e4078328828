// The program list (scripts/test-programs.txt) for code: testProgram('nginx') is the path Debian installs
// nginx at, so a test never runs another copy that happens to come first on PATH. Plain JavaScript, so that
// the benchmark scripts can use it as well as the TypeScript tests (types: test-programs.d.mts).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Beside this file; or, when this file was bundled elsewhere in the checkout (node_modules/.cache), the checkout's. */
function listPath() {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'test-programs.txt'), join(dir, 'scripts', 'test-programs.txt')]) if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`scripts/test-programs.txt not found from ${fileURLToPath(import.meta.url)}`);
  }
}

/** Every entry of the list, in its order. */
export function listedPrograms() {
  const entries = [];
  readFileSync(listPath(), 'utf8')
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const [name, path, debianPackage, ...how] = line.split(/\s+/);
      if (!name || !path || !debianPackage || how.length === 0) throw new Error(`scripts/test-programs.txt line ${index + 1}: expected PROGRAM PATH PACKAGE HOW, got "${line}"`);
      entries.push({ name, path, debianPackage, how: how.join(' '), line: index + 1 });
    });
  return entries;
}

let byName;

/** The listed program's path (its Debian path; for the Node and npm that run the tests, their name). Throws for a program the list does not have. */
export function testProgram(name) {
  byName ??= new Map(listedPrograms().filter((entry) => entry.name !== '-').map((entry) => [entry.name, entry]));
  const entry = byName.get(name);
  if (!entry) throw new Error(`${name} is not in scripts/test-programs.txt: add it there with its Debian path and package, so that CI installs and checks it`);
  if (entry.debianPackage.startsWith('npm:')) throw new Error(`${name} comes from the npm package ${entry.debianPackage.slice(4)}, not from Debian: find it through that package`);
  return entry.path === '-' ? name : entry.path;
}
