/** A program's path from scripts/test-programs.txt; only testProgram() makes one, so a parameter of this type is always listed. */
export type ListedProgram = string & { readonly __listedInTestPrograms: true };

export interface ListedProgramEntry {
  /** The program's name, or "-" for a package that holds no program we run. */
  name: string;
  /** Its Debian path, or "-" (found on PATH: the Node that runs the tests; or no program). */
  path: string;
  debianPackage: string;
  /** "run", or "indirect: …" naming who runs it. */
  how: string;
  line: number;
}

export function listedPrograms(): ListedProgramEntry[];
export function testProgram(name: string): ListedProgram;
