/**
 * Docker Compose v2 substitutes `$VAR`, `${VAR}`, `${VAR:-default}` and friends inside unquoted and
 * double-quoted `.env` values (compose-go `template` package). This reproduces that package step by step,
 * quirks included, so that the value we read from a user's file is the value n8n receives.
 */
import { describeEnvFileProblem, type EnvFileProblemKind } from './env-file-problems.js';
import { goQuote } from './go-quote.js';

/** Looks a variable up; `undefined` means unset (which is not the same as empty for `-`, `+` and `?`). */
export type VariableLookup = (name: string) => string | undefined;

/**
 * A value Compose refuses; it then refuses the whole file. Compose's own wording quotes the value (which
 * may be a password), so `message` only names the problem and `composeMessage` keeps Compose's text for
 * the tests that compare with it.
 */
export class InterpolationError extends Error {
  constructor(
    readonly kind: Extract<EnvFileProblemKind, 'invalid-template' | 'required-variable'>,
    readonly composeMessage: string,
  ) {
    super(describeEnvFileProblem(kind));
    this.name = 'InterpolationError';
  }
}

/** compose-go names the string being substituted when the error arose, which is known only further up. */
class InvalidTemplate extends Error {
  constructor(public template = '') {
    super('invalid template');
  }
}

// compose-go's pattern, with Go's `.` (anything but LF) spelled out: a JavaScript `.` would also stop at CR
// and U+2028. The `u` flag makes `i` fold like Go does (so `$ſ` and the Kelvin sign are names too).
const PATTERN_SOURCE =
  String.raw`\$(?:(?<escaped>\$)|(?<named>[_a-z][_a-z0-9]*)|\{(?:(?<braced>[_a-z][_a-z0-9]*(?::?[-+?][^\n]*)?)\}|(?<mapping>[_a-z][_a-z0-9]*\[[^\n]*\](?::?[-+?}][^\n]*)?)\}|(?<invalid>)))`;
const ALL_MATCHES = new RegExp(PATTERN_SOURCE, 'giu');
const FIRST_MATCH = new RegExp(PATTERN_SOURCE, 'iu');

/** The operators of `${NAME<op>word}` in the order compose-go lists them (earliest in the text wins). */
const OPERATORS = [':?', '?', ':-', '-', ':+', '+'] as const;
type Operator = (typeof OPERATORS)[number];

/**
 * Substitutes variables in `template` like Compose v2. `onLookup` is told about every variable the result
 * depends on. Throws InterpolationError where Compose reports an error.
 */
export function interpolateLikeCompose(template: string, lookup: VariableLookup, onLookup: (name: string) => void = () => {}): string {
  const resolve = (name: string): string | undefined => {
    onLookup(name);
    return lookup(name);
  };
  try {
    return substitute(template, resolve);
  } catch (error) {
    if (error instanceof InvalidTemplate) throw new InterpolationError('invalid-template', `Invalid template: ${goQuote(error.template)}`);
    throw error;
  }
}

function substitute(template: string, lookup: VariableLookup): string {
  // Like Go's ReplaceAllStringFunc with error collection: keep replacing, report the first error.
  let firstError: Error | undefined;
  const result = template.replace(ALL_MATCHES, (substring: string) => {
    try {
      return replaceMatch(substring, lookup);
    } catch (error) {
      if (!(error instanceof InvalidTemplate || error instanceof InterpolationError)) throw error;
      if (error instanceof InvalidTemplate && error.template === '') error.template = template;
      firstError ??= error;
      return '';
    }
  });
  if (firstError) throw firstError;
  return result;
}

function replaceMatch(matched: string, lookup: VariableLookup): string {
  // The pattern's `.*` is greedy; compose-go cuts the match at the brace that closes the first `{`.
  const closing = firstBraceClosingIndex(matched);
  const substring = closing > -1 ? matched.slice(0, closing + 1) : matched;
  const rest = closing > -1 ? matched.slice(closing + 1) : '';

  const groups = FIRST_MATCH.exec(substring)?.groups ?? {};
  if (groups.escaped) return groups.escaped;

  let value: string;
  if (groups.named) {
    value = lookup(groups.named) ?? '';
  } else if (groups.braced) {
    const operator = firstOperator(matched);
    if (operator === undefined) value = lookup(groups.braced) ?? '';
    else value = applyOperator(operator, groups.braced, lookup) ?? substring;
  } else if (groups.mapping) {
    // `${name[key]}` needs named mappings, which Compose does not pass for `.env` files: kept as written.
    value = substring;
  } else {
    throw new InvalidTemplate();
  }
  return rest === '' ? value : value + substitute(rest, lookup);
}

function firstBraceClosingIndex(text: string): number {
  let open = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '}') {
      open--;
      if (open === 0) return i;
    }
    if (text[i] === '{') {
      open++;
      i++; // compose-go skips the character after every `{`
    }
  }
  return -1;
}

function firstOperator(template: string): Operator | undefined {
  let best: { operator: Operator; index: number } | undefined;
  for (const operator of OPERATORS) {
    const index = template.indexOf(operator);
    if (index >= 0 && (best === undefined || index < best.index)) best = { operator, index };
  }
  return best?.operator;
}

/** The value of `${substitution}` for `operator`, or undefined where compose-go leaves the text as written. */
function applyOperator(operator: Operator, substitution: string, lookup: VariableLookup): string | undefined {
  const at = substitution.indexOf(operator);
  if (at < 0) return undefined;
  const name = substitution.slice(0, at);
  const word = substitute(substitution.slice(at + operator.length), lookup);
  const value = lookup(name);
  switch (operator) {
    case ':-':
      return value === undefined || value === '' ? word : value;
    case '-':
      return value === undefined ? word : value;
    case ':+':
      return value !== undefined && value !== '' ? word : (value ?? '');
    case '+':
      return value !== undefined ? word : '';
    case ':?':
    case '?':
      if (value === undefined || (operator === ':?' && value === '')) {
        throw new InterpolationError('required-variable', `required variable ${name} is missing a value${word === '' ? '' : `: ${word}`}`);
      }
      return value;
  }
}
