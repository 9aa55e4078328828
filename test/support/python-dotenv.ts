/** Debian's python-dotenv (python3-dotenv), the .env reader docker-compose v1 is built on. */
import { debianPythonJson } from './debian-python.js';

const SCRIPT = `import json, sys
from dotenv import dotenv_values
print(json.dumps([dotenv_values(path, encoding='utf-8-sig') for path in sys.argv[1:]]))`;

/**
 * `dotenv_values` of each file, in one process (Python is slow to start). Read as docker-compose v1 reads
 * env files, UTF-8 with an optional BOM (utf-8-sig); python-dotenv's own default would give the first key of
 * a file with a BOM a name starting with U+FEFF. A bare `KEY` line reads as null.
 */
export function readWithPythonDotenv(paths: readonly string[]): Array<Record<string, string | null>> {
  return debianPythonJson(SCRIPT, { args: paths }) as Array<Record<string, string | null>>;
}
