import { describe, expect, it } from 'vitest';
import { Document, parse } from 'yaml';
import { dockerComposeConfig, dockerComposeServices, printsExactly, undoubleDollars } from '../../test/support/docker-compose-v1.js';
import { DOCKER_COMPOSE_V1, requireTool } from '../../test/support/external-tools.js';
import { HOSTILE_VALUES } from '../../test/fixtures/compose/hostile-values.js';
import { COMPOSE_DOCUMENT_OPTIONS } from './compose-document.js';
import { composeValueText, decodeComposeValue, encodeComposeValue } from './encode-compose-value.js';

function environmentFile(values: readonly string[]): string {
  const doc = new Document({ services: { app: { image: 'alpine', environment: {} } } }, COMPOSE_DOCUMENT_OPTIONS);
  values.forEach((value, i) => doc.setIn(['services', 'app', 'environment', key(i)], encodeComposeValue(value)));
  return doc.toString({ lineWidth: 0 });
}

const key = (i: number) => `V${String(i).padStart(3, '0')}`;

describe('encodeComposeValue', () => {
  it('writes a JSON string of the value with every $ doubled first', () => {
    expect(composeValueText('pa$s "w" \\ ${HOME} $$')).toBe('"pa$$s \\"w\\" \\\\ $${HOME} $$$$"');
    expect(composeValueText('line1\nline2\ttab')).toBe('"line1\\nline2\\ttab"');
  });

  it('escapes NEL, LS, PS, BOM, DEL and the C1 controls, which YAML readers take as breaks or refuse raw', () => {
    expect(composeValueText('a\u0085b\u2028c\u2029d\ufeffe\u007ff\u0080g\u009fh')).toBe(
      '"a\\u0085b\\u2028c\\u2029d\\ufeffe\\u007ff\\u0080g\\u009fh"',
    );
  });

  it('keeps other Unicode as it is (NBSP, letters, emoji)', () => {
    expect(composeValueText('\u00a0pässwörd 密码🔑')).toBe('"\u00a0pässwörd 密码🔑"');
  });

  it('writes every value on one line, so no reader folds or trims it', () => {
    for (const value of HOSTILE_VALUES) expect(composeValueText(value)).not.toMatch(/[\n\r\u0085\u2028\u2029]/);
  });

  it(`reads back exactly through the yaml parser and undoubling, for all ${HOSTILE_VALUES.length} hostile values`, () => {
    const read = parse(environmentFile(HOSTILE_VALUES)) as { services: { app: { environment: Record<string, string> } } };
    HOSTILE_VALUES.forEach((value, i) => expect(decodeComposeValue(read.services.app.environment[key(i)]!), key(i)).toBe(value));
  });

  it('reads back exactly through docker-compose v1 (PyYAML 1.1 and interpolation)', (context) => {
    requireTool(context, DOCKER_COMPOSE_V1);
    const services = dockerComposeServices({ 'compose.yaml': environmentFile(HOSTILE_VALUES) }, ['compose.yaml']);
    HOSTILE_VALUES.forEach((value, i) => expect(services.app!.environment![key(i)], key(i)).toBe(value));
  });

  it('comes back from `docker-compose config` as written, after undoubling $', (context) => {
    requireTool(context, DOCKER_COMPOSE_V1);
    // v1's printer folds NEL (its reader took it exactly, see above).
    const printable = HOSTILE_VALUES.filter(printsExactly);
    const config = dockerComposeConfig({ 'compose.yaml': environmentFile(printable) }, ['compose.yaml']);
    printable.forEach((value, i) => expect(undoubleDollars(config.services.app!.environment![key(i)]!), key(i)).toBe(value));
  });

  it('refuses a broken UTF-16 string (a lone surrogate), which no file can hold', () => {
    expect(() => encodeComposeValue('half \ud83d emoji')).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
  });
});

describe('decodeComposeValue', () => {
  it('reads $$ as a literal $', () => {
    expect(decodeComposeValue('pa$$word$$')).toBe('pa$word$');
  });

  it('returns undefined for anything Compose would interpolate', () => {
    for (const spelled of ['$HOME', '${HOME}', 'a$', '${A:-b}', '$$$x']) expect(decodeComposeValue(spelled), spelled).toBeUndefined();
  });
});
