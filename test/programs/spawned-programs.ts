/**
 * The programs a TypeScript or JavaScript file runs, read from its syntax tree (TypeScript's parser, no
 * type check): every call of a `node:child_process` function (also through `promisify`), the `sh -c` scripts
 * and the commands behind `unshare … --` and the like they pass, every `testProgram('…')`, and Playwright's
 * `executablePath`. Each program expression is followed through the file's constants to one of:
 * - `node`: `process.execPath`, the Node that runs the tests;
 * - a listed name: `testProgram('nginx')`, `externalTool('nginx')` (and its `.command`), `findElectronBinary()`
 *   (and its `.path`), or a literal path;
 * - `typed`: a parameter typed `ListedProgram`, which only testProgram() makes;
 * - `unknown`: anything else, which the program-list test refuses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { shellCommands } from './shell-commands.js';

export type ProgramRef =
  | { kind: 'node' }
  | { kind: 'listed'; name: string }
  | { kind: 'literal'; value: string }
  | { kind: 'typed' }
  | { kind: 'unknown'; text: string };

export interface RunProgram {
  ref: ProgramRef;
  line: number;
  /** How it was found: "spawn", "sh -c", "after --", "testProgram", "executablePath". */
  via: string;
}

const CHILD_PROCESS_FUNCTIONS = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync']);
const SHELL_STRING_FUNCTIONS = new Set(['exec', 'execSync']);
const PROGRAM_FACTORIES = new Set(['testProgram', 'externalTool']);
/** Finders of one program that is not a Debian one: the Electron binary from the npm package. */
const FIXED_PROGRAM_FINDERS: Record<string, string> = { findElectronBinary: 'electron' };
const SHELLS = new Set(['sh', 'bash', '/bin/sh', '/bin/bash']);
const WRAPPERS = new Set(['unshare', 'setpriv', 'runuser', 'timeout', 'dbus-run-session', 'env', 'sudo', '/usr/bin/unshare', '/usr/bin/setpriv']);

export function spawnedPrograms(fileName: string, source: string): RunProgram[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  const found: RunProgram[] = [];
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const spawners = spawnerNames(file);

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = calleeName(node.expression, spawners);
      if (callee) recordSpawn(node, callee);
      // A factory passing its own parameter on (externalTool(program) → testProgram(program)) is checked where it is called.
      if (ts.isIdentifier(node.expression) && PROGRAM_FACTORIES.has(node.expression.text) && !insideFactory(node)) {
        for (const ref of resolve(node)) found.push({ ref, line: lineOf(node), via: 'testProgram' });
      }
    }
    if (ts.isPropertyAssignment(node) && node.name.getText(file) === 'executablePath') {
      for (const ref of resolve(node.initializer)) found.push({ ref, line: lineOf(node), via: 'executablePath' });
    }
    ts.forEachChild(node, visit);
  };

  function recordSpawn(call: ts.CallExpression, callee: string): void {
    const [program, args] = call.arguments;
    if (!program) return;
    const line = lineOf(call);
    if (SHELL_STRING_FUNCTIONS.has(callee)) {
      recordShell(program, line);
      return;
    }
    const refs = resolve(program);
    for (const ref of refs) found.push({ ref, line, via: 'spawn' });
    const names = refs.map(nameOf);
    for (const array of args ? arraysOf(args) : []) {
      const elements = array.elements;
      if (names.some((name) => SHELLS.has(name)) && isString(elements[0], '-c') && elements[1]) recordShell(elements[1], line);
      if (names.some((name) => WRAPPERS.has(name))) recordWrapped(elements, line);
    }
  }

  /** The command a wrapper runs: after `--`, else its first operand that is not an option. */
  function recordWrapped(elements: ts.NodeArray<ts.Expression>, line: number): void {
    const dashes = elements.findIndex((element) => isString(element, '--'));
    const index = dashes >= 0 ? dashes + 1 : elements.findIndex((element) => !isOption(element));
    const command = elements[index];
    if (!command) return;
    const refs = resolve(command);
    for (const ref of refs) found.push({ ref, line, via: 'after --' });
    if (refs.some((ref) => SHELLS.has(nameOf(ref))) && isString(elements[index + 1], '-c') && elements[index + 2]) recordShell(elements[index + 2]!, line);
  }

  function recordShell(script: ts.Expression, line: number): void {
    const text = templateText(script);
    if (text === undefined) {
      found.push({ ref: { kind: 'unknown', text: script.getText(file) }, line, via: 'sh -c' });
      return;
    }
    for (const command of shellCommands(text).commands) found.push({ ref: { kind: 'literal', value: command.name }, line: line + command.line - 1, via: 'sh -c' });
  }

  visit(file);
  return found;

  /** `-x`, `--name`, or a template that starts so (`--other-user=${name}`). */
  function isOption(element: ts.Expression): boolean {
    if (ts.isStringLiteralLike(element)) return element.text.startsWith('-');
    return ts.isTemplateExpression(element) && element.head.text.startsWith('-');
  }
}

export function nameOf(ref: ProgramRef): string {
  switch (ref.kind) {
    case 'node':
      return 'node';
    case 'listed':
      return ref.name;
    case 'literal':
      return ref.value;
    case 'typed':
      return '(ListedProgram)';
    case 'unknown':
      return ref.text;
  }
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (fileName.endsWith('.ts') || fileName.endsWith('.mts')) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}

/** Local names bound to child_process functions: imports, `cp.spawn` namespaces, `promisify(execFile)` aliases. */
function spawnerNames(file: ts.SourceFile): { direct: Map<string, string>; namespaces: Set<string> } {
  const direct = new Map<string, string>();
  const namespaces = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!['node:child_process', 'child_process'].includes(statement.moduleSpecifier.text)) continue;
    const clause = statement.importClause;
    if (clause?.name) namespaces.add(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        const imported = (element.propertyName ?? element.name).text;
        if (CHILD_PROCESS_FUNCTIONS.has(imported)) direct.set(element.name.text, imported);
      }
    }
  }
  const aliases = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const callee = calleeName(node.initializer, { direct, namespaces });
      if (callee && ts.isCallExpression(node.initializer) && isPromisify(node.initializer)) direct.set(node.name.text, callee);
    }
    ts.forEachChild(node, aliases);
  };
  aliases(file);
  return { direct, namespaces };
}

function isPromisify(call: ts.CallExpression): boolean {
  const name = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : ts.isIdentifier(call.expression) ? call.expression.text : '';
  return name === 'promisify';
}

/** The child_process function an expression calls: `spawn`, `cp.spawn`, `promisify(execFile)`, an alias. */
function calleeName(expression: ts.Expression, spawners: { direct: Map<string, string>; namespaces: Set<string> }): string | undefined {
  if (ts.isIdentifier(expression)) return spawners.direct.get(expression.text);
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression) && spawners.namespaces.has(expression.expression.text)) {
    return CHILD_PROCESS_FUNCTIONS.has(expression.name.text) ? expression.name.text : undefined;
  }
  if (ts.isCallExpression(expression) && isPromisify(expression) && expression.arguments[0]) return calleeName(expression.arguments[0], spawners);
  return undefined;
}

/** What program an expression names, following constants through the file and the files it imports. */
function resolve(expression: ts.Expression, depth = 0): ProgramRef[] {
  const file = expression.getSourceFile();
  const unknown = (): ProgramRef[] => [{ kind: 'unknown', text: expression.getText(file) }];
  if (depth > 8) return unknown();
  const again = (next: ts.Expression) => resolve(next, depth + 1);
  if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression) || ts.isNonNullExpression(expression) || ts.isSatisfiesExpression(expression)) return again(expression.expression);
  if (ts.isStringLiteralLike(expression)) return [{ kind: 'literal', value: expression.text }];
  if (ts.isPropertyAccessExpression(expression) && expression.getText(file) === 'process.execPath') return [{ kind: 'node' }];
  if (ts.isConditionalExpression(expression)) return [...again(expression.whenTrue), ...again(expression.whenFalse)];
  if (ts.isBinaryExpression(expression) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(expression.operatorToken.kind)) {
    return [...again(expression.left), ...again(expression.right)];
  }
  if (ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && PROGRAM_FACTORIES.has(expression.expression.text)) {
    const [name] = expression.arguments;
    return name && ts.isStringLiteralLike(name) ? [{ kind: 'listed', name: name.text }] : unknown();
  }
  if (ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && Object.hasOwn(FIXED_PROGRAM_FINDERS, expression.expression.text)) {
    return [{ kind: 'listed', name: FIXED_PROGRAM_FINDERS[expression.expression.text]! }];
  }
  if (ts.isPropertyAccessExpression(expression)) {
    const owner = again(expression.expression);
    // externalTool('nginx').command is nginx's listed path.
    if (owner.every((ref) => ref.kind === 'listed') && ['command', 'path'].includes(expression.name.text)) return owner;
    const object = declaredValue(expression.expression);
    if (object && ts.isObjectLiteralExpression(object)) {
      const property = object.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText(object.getSourceFile()) === expression.name.text);
      if (property && ts.isPropertyAssignment(property)) return again(property.initializer);
    }
    return unknown();
  }
  if (ts.isIdentifier(expression)) {
    const declaration = declarationOf(expression.text, expression);
    if (/^ListedProgram( \| undefined)?$/.test(declaration?.type?.getText(declaration.getSourceFile()) ?? '')) return [{ kind: 'typed' }];
    if (declaration && ts.isParameter(declaration)) return unknown();
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return again(declaration.initializer);
  }
  return unknown();
}

/** The array literals an argument list expression can be, following constants and both arms of a condition. */
function arraysOf(expression: ts.Expression, depth = 0): ts.ArrayLiteralExpression[] {
  if (depth > 8) return [];
  if (ts.isArrayLiteralExpression(expression)) return [expression];
  if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression)) return arraysOf(expression.expression, depth + 1);
  if (ts.isConditionalExpression(expression)) return [...arraysOf(expression.whenTrue, depth + 1), ...arraysOf(expression.whenFalse, depth + 1)];
  const value = declaredValue(expression);
  return value ? arraysOf(value, depth + 1) : [];
}

function declaredValue(expression: ts.Expression): ts.Expression | undefined {
  if (!ts.isIdentifier(expression)) return undefined;
  const declaration = declarationOf(expression.text, expression);
  return declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
}

type Declaration = ts.VariableDeclaration | ts.ParameterDeclaration;

/**
 * The variable or parameter `name` refers to at `at`: the nearest enclosing function's parameters and
 * blocks' `const`/`let` statements, out to the file, else the declaration a relative import brings in.
 */
function declarationOf(name: string, at: ts.Node, depth = 0): Declaration | undefined {
  for (let scope: ts.Node | undefined = at; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      const parameter = scope.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name);
      if (parameter) return parameter;
    }
    if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope)) {
      for (const statement of scope.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        const declaration = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
        if (declaration) return declaration;
      }
    }
  }
  const file = at.getSourceFile();
  if (depth > 4) return undefined;
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || !statement.moduleSpecifier.text.startsWith('.')) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const element = bindings.elements.find((e) => e.name.text === name);
    if (!element) continue;
    const imported = importedFile(file.fileName, statement.moduleSpecifier.text);
    return imported && declarationOf((element.propertyName ?? element.name).text, imported, depth + 1);
  }
  return undefined;
}

const parsedFiles = new Map<string, ts.SourceFile | undefined>();

/** The module a relative specifier names (`./x.js` is `./x.ts` in this repository), parsed; undefined when it is not on disk. */
function importedFile(fromFile: string, specifier: string): ts.SourceFile | undefined {
  const base = join(dirname(fromFile), specifier);
  const path = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`].find((candidate) => existsSync(candidate));
  if (!path) return undefined;
  if (!parsedFiles.has(path)) parsedFiles.set(path, ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, scriptKind(path)));
  return parsedFiles.get(path);
}

function insideFactory(node: ts.Node): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (ts.isFunctionDeclaration(parent) && parent.name && PROGRAM_FACTORIES.has(parent.name.text)) return true;
  }
  return false;
}

function isString(node: ts.Expression | undefined, value: string): boolean {
  return node !== undefined && ts.isStringLiteralLike(node) && node.text === value;
}

/** A string or template's text, each `${…}` standing as a shell variable. */
function templateText(node: ts.Expression): string | undefined {
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((span) => `$X${span.literal.text}`).join('');
  return undefined;
}
