/**
 * The programs a shell script runs: the command word of every simple command, in `$(…)` and backticks too,
 * skipping assignments, redirections, heredoc bodies, case patterns, `for` lists, shell builtins and the
 * script's own functions. Enough of POSIX sh and bash for the project's own scripts (.ci/run, scripts/*.sh,
 * `sh -c` strings in tests); a command word built from a variable (`"$@"`, `$cmd`) is reported as dynamic.
 */

export interface ShellCommand {
  name: string;
  line: number;
}

export interface ShellCommands {
  commands: ShellCommand[];
  /** Command words that come from a variable: what they run is decided elsewhere. */
  dynamic: ShellCommand[];
}

/** `quoted`: the word starts with a quote or an escape, so it is no keyword and no assignment. */
type Token = { kind: 'word'; text: string; quoted: boolean; line: number } | { kind: 'op'; text: string; line: number };

const BUILTINS = new Set(
  ('. : [ alias bg break builtin caller cd command compgen complete continue declare dirs disown echo enable eval exec exit export false fc fg ' +
    'getopts hash help history jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly return set shift shopt source ' +
    'suspend test times trap true type typeset ulimit umask unalias unset wait').split(' '),
);
/** Words that keep the next word in command position. */
const LEADING_KEYWORDS = new Set(['if', 'then', 'elif', 'else', 'while', 'until', 'do', '!', '{', 'time']);
const CLOSING_KEYWORDS = new Set(['fi', 'done', 'esac', '}']);
/** Programs and builtins whose operand, after their options, is a command they run. */
const RUNS_NEXT_WORD = new Set(['exec', 'command', 'builtin', 'nohup', 'time', 'sudo']);
/** Programs that run the command after their `--`. */
const RUNS_AFTER_DASHES = new Set(['setpriv', 'unshare', 'runuser', 'timeout', 'dbus-run-session', 'flock', 'env', 'sudo']);

export function shellCommands(script: string): ShellCommands {
  const found: ShellCommands = { commands: [], dynamic: [] };
  const functions = new Set<string>();
  collect(script, 1, found, functions);
  return { commands: found.commands.filter((c) => !BUILTINS.has(c.name) && !functions.has(c.name)), dynamic: found.dynamic };
}

function collect(script: string, firstLine: number, found: ShellCommands, functions: Set<string>): void {
  const nested: Array<{ script: string; line: number }> = [];
  const tokens = lex(script, firstLine, nested);
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(script);
  if (shebang?.[1]) {
    found.commands.push({ name: shebang[1], line: firstLine });
    if (shebang[1].endsWith('/env') && shebang[2]) found.commands.push({ name: shebang[2], line: firstLine });
  }
  parse(tokens, found, functions);
  for (const inner of nested) collect(inner.script, inner.line, found, functions);
}

function parse(tokens: Token[], found: ShellCommands, functions: Set<string>): void {
  let commandPosition = true;
  let skipWord = false;
  let inForList = false;
  let afterDashes: 'watch' | 'next' | undefined;
  /** Case statements: 'subject' → 'in' → 'pattern' (until `)`) → 'body' (until `;;`). */
  const cases: Array<'subject' | 'in' | 'pattern' | 'body'> = [];
  let wordsOfCommand = 0;
  let lastCommand = '';

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const caseState = cases.at(-1);
    if (token.kind === 'op') {
      if (/^\d*(<<-?|<<<|[<>]&?|>>|<>|>\|)$/.test(token.text)) {
        skipWord = true;
        continue;
      }
      if (caseState === 'pattern') {
        if (token.text === ')') {
          cases[cases.length - 1] = 'body';
          commandPosition = true;
        }
        continue;
      }
      if (caseState === 'body' && (token.text === ';;' || token.text === ';&' || token.text === ';;&')) cases[cases.length - 1] = 'pattern';
      if (caseState === 'in' && token.text === '\n') continue;
      if (inForList && (token.text === ';' || token.text === '\n')) inForList = false;
      commandPosition = true;
      afterDashes = undefined;
      continue;
    }
    const word = token.text;
    if (skipWord) {
      skipWord = false;
      continue;
    }
    if (caseState === 'subject') {
      cases[cases.length - 1] = 'in';
      continue;
    }
    if (caseState === 'in') {
      if (word === 'in') cases[cases.length - 1] = 'pattern';
      continue;
    }
    if (caseState === 'pattern') {
      if (word === 'esac') {
        cases.pop();
        commandPosition = false;
      }
      continue;
    }
    if (inForList) {
      if (word === 'do') {
        inForList = false;
        commandPosition = true;
      }
      continue;
    }
    if (afterDashes === 'watch' && word === '--') {
      afterDashes = 'next';
      continue;
    }
    if (afterDashes === 'next') {
      afterDashes = undefined;
      commandPosition = true;
    }
    if (!commandPosition) {
      wordsOfCommand += 1;
      if (RUNS_NEXT_WORD.has(lastCommand) && wordsOfCommand === 1) {
        if (word.startsWith('-')) {
          if (lastCommand === 'command') lastCommand = ''; // command -v NAME only looks NAME up
          wordsOfCommand = 0;
          continue;
        }
        commandPosition = true;
      } else if (lastCommand === 'env' && !word.startsWith('-') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
        commandPosition = true;
      } else {
        continue;
      }
    }
    if (!token.quoted && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(word)) {
      // An array assignment, `name=(a b c)`: its words are values.
      if (word.endsWith('=') && tokens[i + 1]?.kind === 'op' && tokens[i + 1]!.text === '(') {
        i += 2;
        while (i < tokens.length && !(tokens[i]!.kind === 'op' && tokens[i]!.text === ')')) i++;
      }
      continue;
    }
    if (!token.quoted && LEADING_KEYWORDS.has(word)) continue;
    if (!token.quoted && CLOSING_KEYWORDS.has(word)) {
      commandPosition = false;
      lastCommand = '';
      wordsOfCommand = 0;
      continue;
    }
    if (!token.quoted && (word === 'for' || word === 'select')) {
      inForList = true;
      continue;
    }
    if (!token.quoted && word === 'case') {
      cases.push('subject');
      continue;
    }
    if (!token.quoted && word === 'function') {
      const name = tokens[i + 1];
      if (name?.kind === 'word') functions.add(name.text);
      i += 1;
      continue;
    }
    if (!token.quoted && word === '[[') {
      while (i < tokens.length && !(tokens[i]!.kind === 'word' && tokens[i]!.text === ']]')) i++;
      commandPosition = false;
      continue;
    }
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    if (next?.kind === 'op' && next.text === '(' && after?.kind === 'op' && after.text === ')') {
      functions.add(word);
      i += 2;
      continue;
    }
    commandPosition = false;
    wordsOfCommand = 0;
    if (word.startsWith('$')) {
      found.dynamic.push({ name: word, line: token.line });
      lastCommand = '';
      continue;
    }
    lastCommand = word;
    found.commands.push({ name: word, line: token.line });
    afterDashes = RUNS_AFTER_DASHES.has(word.split('/').pop() ?? word) ? 'watch' : undefined;
  }
}

/** Splits a script into words and operators; `$(…)` and backtick contents are handed back in `nested`. */
function lex(script: string, firstLine: number, nested: Array<{ script: string; line: number }>): Token[] {
  const tokens: Token[] = [];
  /** An unquoted delimiter: the body's `$(…)` and backticks run. */
  const heredocs: Array<{ delimiter: string; stripTabs: boolean; expands: boolean }> = [];
  let line = firstLine;
  let i = 0;
  const at = (offset = 0) => script[i + offset] ?? '';

  while (i < script.length) {
    const c = at();
    if (c === '\\' && at(1) === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\n') {
      tokens.push({ kind: 'op', text: '\n', line });
      i++;
      line++;
      for (const heredoc of heredocs.splice(0)) {
        while (i < script.length) {
          const end = script.indexOf('\n', i);
          const body = script.slice(i, end === -1 ? script.length : end);
          i = end === -1 ? script.length : end + 1;
          line++;
          if ((heredoc.stripTabs ? body.replace(/^\t+/, '') : body) === heredoc.delimiter) break;
          if (heredoc.expands) substitutionsIn(body, line - 1, nested);
        }
      }
      continue;
    }
    if (c === '#') {
      while (i < script.length && at() !== '\n') i++;
      continue;
    }
    // Process substitution, `<(…)` and `>(…)`: a word whose command runs.
    if ((c === '<' || c === '>') && at(1) === '(') {
      const expansion = readExpansion(script, i, line, nested);
      tokens.push({ kind: 'word', text: expansion.text, quoted: false, line });
      line += countLines(script.slice(i, expansion.end));
      i = expansion.end;
      continue;
    }
    const operator = /^(\d*(<<<|<<-|<<|>>|>&|<&|<>|>\||[<>])|;;&|;;|;&|&&|\|\||\|&|[;&|()])/.exec(script.slice(i, i + 8));
    if (operator) {
      const text = operator[0];
      tokens.push({ kind: 'op', text, line });
      i += text.length;
      if (/^\d*<<-?$/.test(text)) {
        const delimiter = /^[ \t]*(?:'([^']*)'|"([^"]*)"|([^\s;&|<>()]+))/.exec(script.slice(i));
        if (delimiter) heredocs.push({ delimiter: delimiter[1] ?? delimiter[2] ?? delimiter[3] ?? '', stripTabs: text.endsWith('-'), expands: delimiter[3] !== undefined });
      }
      continue;
    }
    // A word: runs to unquoted whitespace or an operator character.
    const start = line;
    let text = '';
    let quoted = false;
    while (i < script.length) {
      const ch = at();
      if (/[\s;&|()<>]/.test(ch)) break;
      if (text === '' && (ch === '\\' || ch === "'" || ch === '"')) quoted = true;
      if (ch === '\\') {
        text += at(1);
        i += 2;
        continue;
      }
      if (ch === "'") {
        const end = script.indexOf("'", i + 1);
        const close = end === -1 ? script.length : end;
        text += script.slice(i + 1, close);
        line += countLines(script.slice(i, close));
        i = close + 1;
        continue;
      }
      if (ch === '"') {
        i++;
        while (i < script.length && at() !== '"') {
          if (at() === '\\') {
            text += at(1);
            i += 2;
          } else if (at() === '$' || at() === '`') {
            const expansion = readExpansion(script, i, line, nested);
            text += expansion.text;
            line += countLines(script.slice(i, expansion.end));
            i = expansion.end;
          } else {
            if (at() === '\n') line++;
            text += at();
            i++;
          }
        }
        i++;
        continue;
      }
      if (ch === '$' || ch === '`') {
        const expansion = readExpansion(script, i, line, nested);
        text += expansion.text;
        line += countLines(script.slice(i, expansion.end));
        i = expansion.end;
        continue;
      }
      text += ch;
      i++;
    }
    tokens.push({ kind: 'word', text, quoted, line: start });
  }
  return tokens;
}

/** `$(…)`, `<(…)`, `$((…))`, `${…}`, `$name` or a backtick command at `start`: its end, and the text the word keeps. */
function readExpansion(script: string, start: number, line: number, nested: Array<{ script: string; line: number }>): { end: number; text: string } {
  if (script[start] === '`') {
    let end = start + 1;
    while (end < script.length && script[end] !== '`') end += script[end] === '\\' ? 2 : 1;
    nested.push({ script: script.slice(start + 1, end), line });
    return { end: end + 1, text: '$(…)' };
  }
  const next = script[start + 1];
  if (next === '(' || next === '{') {
    const open = next;
    const close = open === '(' ? ')' : '}';
    let depth = 0;
    let end = start + 1;
    let quote = '';
    for (; end < script.length; end++) {
      const ch = script[end];
      if (quote) {
        if (ch === '\\' && quote === '"') end++;
        else if (ch === quote) quote = '';
        continue;
      }
      if (ch === '\\') {
        end++;
        continue;
      }
      if (ch === "'" || ch === '"') quote = ch;
      else if (ch === open) depth++;
      else if (ch === close && --depth === 0) break;
    }
    const inner = script.slice(start + 2, end);
    if (open === '(' && inner.startsWith('(')) substitutionsIn(inner, line, nested);
    else if (open === '(') nested.push({ script: inner, line });
    return { end: end + 1, text: '$(…)' };
  }
  const name = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])?/.exec(script.slice(start))![0];
  return { end: start + Math.max(name.length, 1), text: name };
}

/** The command substitutions in text that is not itself a command (arithmetic, a heredoc body). */
function substitutionsIn(text: string, line: number, nested: Array<{ script: string; line: number }>): void {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '`' || (text[i] === '$' && text[i + 1] === '(')) i = readExpansion(text, i, line, nested).end - 1;
  }
}

function countLines(text: string): number {
  return text.split('\n').length - 1;
}
