/**
 * Where each `affected[i]` entry of an OSV record, and each of its `ranges[j]`, starts in the
 * record's text (0-based line, UTF-16 column): PB101 points its related location there, at the
 * entry that matched. One pass over the text, found while it is read at load: strings are skipped
 * whole (`indexOf`), so a record costs about what its parse does, and nothing else is kept.
 */

/** Per `affected` entry: `[line, character]` of its `{`, then `line, character` of each `ranges` item's `{`. */
export type AffectedPositions = number[][];

type Role = 'root' | 'affected' | 'entry' | 'ranges' | 'other';

/**
 * The positions, or undefined when the text does not hold the `affected` list the record has (the
 * counts differ: a duplicate key, an escaped key name): then no position rather than a wrong one.
 */
export function affectedPositions(text: string, shape: ReadonlyArray<{ ranges?: readonly unknown[] }>): AffectedPositions | undefined {
  const roles: Role[] = [];
  const objects: boolean[] = [];
  // In an object: whether the next string is a key; and the last key read in the root and entry objects.
  let expectKey = false;
  let key = '';
  let found: AffectedPositions = [];
  let line = 0;
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = lineStart; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line++;
      lineStart = i + 1;
    } else if (c === 0x22) {
      const end = stringEnd(text, i);
      if (end === -1) return undefined;
      const depth = roles.length - 1;
      if (expectKey && objects[depth] && (roles[depth] === 'root' || roles[depth] === 'entry')) key = text.slice(i + 1, end);
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      const object = c === 0x7b;
      const parent = roles[roles.length - 1];
      const role = roleOf(parent, object, key);
      const at = [line, i - lineStart];
      if (role === 'affected') found = [];
      else if (role === 'entry') found.push(at);
      else if (parent === 'ranges' && object) found[found.length - 1]?.push(...at);
      roles.push(role);
      objects.push(object);
      expectKey = object;
      key = '';
    } else if (c === 0x7d || c === 0x5d) {
      roles.pop();
      objects.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = objects[objects.length - 1] === true;
    } else if (c === 0x3a) {
      expectKey = false;
    }
  }
  const fits = found.length === shape.length && found.every((at, k) => at.length === 2 + 2 * (shape[k]!.ranges?.length ?? 0));
  return fits ? found : undefined;
}

/** What a container is, from its parent's role and the key it is the value of. */
function roleOf(parent: Role | undefined, object: boolean, key: string): Role {
  if (parent === undefined) return object ? 'root' : 'other';
  if (parent === 'root' && !object && key === 'affected') return 'affected';
  if (parent === 'affected' && object) return 'entry';
  if (parent === 'entry' && !object && key === 'ranges') return 'ranges';
  return 'other';
}

/** The index of the quote that closes the string opened at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}
