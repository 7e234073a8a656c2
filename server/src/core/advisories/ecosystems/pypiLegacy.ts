/**
 * The order of PyPI versions that are not PEP 440 ("legacy" versions such as `0.1-bulbasaur`), as
 * `packaging.version.LegacyVersion` gave it to pip until packaging 22 dropped it, which is still
 * how OSV's PyPI data was ordered. Hand-written because no JavaScript library keeps that class:
 * the text is cut into numbers (zero-padded to eight digits), letter runs, `-` and other runs;
 * a legacy version sorts below every PEP 440 version, and legacy versions compare part by part.
 */

export interface LegacyPyPIVersion {
  legacy: true;
  parts: string[];
}

const COMPONENT = /(\p{Nd}+|[a-z]+|\.|-)/u;
const REPLACEMENTS: Readonly<Record<string, string>> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' };

function* versionParts(text: string): Generator<string> {
  // Splitting on a capturing pattern keeps both the separators and the text between them, as Python's `re.split` does.
  for (const raw of text.split(COMPONENT)) {
    const part = REPLACEMENTS[raw] ?? raw;
    if (part === '' || part === '.') continue;
    yield /^[0-9]/.test(part) ? part.padStart(8, '0') : `*${part}`;
  }
  yield '*final';
}

export function parseLegacyPyPIVersion(version: string): LegacyPyPIVersion {
  const parts: string[] = [];
  for (const part of versionParts(version.toLowerCase())) {
    if (part.startsWith('*')) {
      // A `-` before a pre-release tag goes, and so do trailing zeros of each run of numbers.
      if (comparePythonStrings(part, '*final') < 0) while (parts[parts.length - 1] === '*final-') parts.pop();
      while (parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return { legacy: true, parts };
}

export function compareLegacyPyPIVersions(a: LegacyPyPIVersion, b: LegacyPyPIVersion): number {
  for (let i = 0; i < Math.min(a.parts.length, b.parts.length); i++) {
    const order = comparePythonStrings(a.parts[i]!, b.parts[i]!);
    if (order !== 0) return order;
  }
  return Math.sign(a.parts.length - b.parts.length);
}

/** Python compares strings by code point; JavaScript's `<` by UTF-16 unit, which differs above U+FFFF. */
function comparePythonStrings(a: string, b: string): number {
  if (a === b) return 0;
  const left = Array.from(a, (c) => c.codePointAt(0)!);
  const right = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i]! < right[i]! ? -1 : 1;
  }
  return Math.sign(left.length - right.length);
}
