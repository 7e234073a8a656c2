/**
 * No module of the product imports itself through others: a circle makes the load order decide
 * what a module sees (an import that is still undefined), and it is the first sign of two files
 * that should be one or of a type in the wrong place. Imports are read with the TypeScript parser
 * (type-only imports count: they still tie the two files together for a reader).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { stronglyConnectedComponents } from '../../server/src/core/util/scc.js';
import { moduleSpecifiers, ROOT, sourceFiles } from './helpers/imports.js';

/** The file a relative specifier names (`./x.js` is written for `./x.ts`), if it is one of ours. */
function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.join(path.dirname(from), specifier).replace(/\.js$/, '');
  return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(path.join(ROOT, f)));
}

test('no import circles in server/src and client/src', () => {
  const files = ['server/src', 'client/src'].flatMap(sourceFiles);
  const number = new Map(files.map((f, i) => [f, i]));
  const edges = files.map((file) => [...new Set(moduleSpecifiers(file, readFileSync(path.join(ROOT, file), 'utf8')).flatMap((s) => resolve(file, s) ?? []))].flatMap((f) => number.get(f) ?? []));
  const component = stronglyConnectedComponents(files.length, (n) => edges[n]!);
  const members = new Map<number, string[]>();
  component.forEach((c, i) => members.set(c, [...(members.get(c) ?? []), files[i]!]));
  const circles = [...members.values()].filter((m) => m.length > 1).map((m) => m.sort().join(' ↔ '));
  assert.deepEqual(circles, [], `import circles:\n${circles.join('\n')}`);
});
