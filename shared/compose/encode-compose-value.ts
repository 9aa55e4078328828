/**
 * The one spelling of a literal value in a compose file (see the "Compose YAML environment:" rule): a JSON
 * double-quoted string of the value with every `$` doubled first (Compose interpolates every string in the
 * file, `$$` is its literal `$`), plus `\u` escapes for the characters YAML readers treat as line breaks or
 * refuse raw: NEL, LS, PS, BOM, DEL, the C1 controls (and U+FFFE/U+FFFF, which no reader accepts raw).
 */
import { Scalar } from 'yaml';
import type { ScalarTag } from 'yaml';
import { SetupError } from '../errors.js';

/** Marks the scalars written by this rule, so that `composeStringTag` stringifies them. */
const COMPOSE_LITERAL_FORMAT = 'compose-literal';

const RAW_UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The YAML text of a double-quoted scalar whose YAML value is `yamlValue` (no interpolation escaping). */
export function doubleQuotedYaml(yamlValue: string): string {
  return JSON.stringify(yamlValue).replace(RAW_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The exact compose text for a literal value: what `encodeComposeValue` writes. */
export function composeValueText(value: string): string {
  return doubleQuotedYaml(escapeInterpolation(value));
}

/** A YAML scalar that Compose reads back as exactly `value` (after YAML parsing and interpolation). */
export function encodeComposeValue(value: string): Scalar<string> {
  if (LONE_SURROGATE.test(value)) {
    throw new SetupError({
      code: 'INVALID_VALUE',
      message: 'The value contains a broken UTF-16 character (a lone surrogate) that no file can hold.',
      fix: 'Type the value again; it was probably cut in the middle of an emoji or similar character.',
    });
  }
  const scalar = new Scalar(escapeInterpolation(value));
  scalar.type = 'QUOTE_DOUBLE';
  scalar.format = COMPOSE_LITERAL_FORMAT;
  return scalar;
}

/**
 * What Compose makes of a string read from YAML: the literal value when it holds no interpolation
 * (`$$` is a literal `$`), or `undefined` when Compose would substitute something (`$VAR`, `${…}`, a lone `$`).
 */
export function decodeComposeValue(yamlValue: string): string | undefined {
  let literal = '';
  for (let i = 0; i < yamlValue.length; i++) {
    const ch = yamlValue[i];
    if (ch !== '$') {
      literal += ch;
    } else if (yamlValue[i + 1] === '$') {
      literal += '$';
      i++;
    } else {
      return undefined;
    }
  }
  return literal;
}

/**
 * The yaml library tag that writes `encodeComposeValue` scalars with the compose rule. Every compose
 * document is parsed and created with it (see compose-document.ts); other strings keep the library's styles.
 */
export const composeStringTag: ScalarTag = {
  identify: (value) => typeof value === 'string',
  default: true,
  tag: 'tag:yaml.org,2002:str',
  format: COMPOSE_LITERAL_FORMAT,
  resolve: (source) => source,
  stringify: (item) => doubleQuotedYaml(String((item as Scalar).value)),
};

function escapeInterpolation(value: string): string {
  // A function replacement: in a replacement string, `$$` itself means one `$`.
  return value.replaceAll('$', () => '$$');
}

/**
 * An image reference as the compose file spells it: one that names variables (`n8nio/n8n:${N8N_VERSION}`,
 * as n8n's own examples write it) is written as it is, for Compose to fill in; any other is a literal.
 */
export function composeImageNode(image: string): Scalar<string> {
  return /\$(?!\$)/.test(image.replaceAll('$$', '')) ? new Scalar(image) : encodeComposeValue(image);
}
