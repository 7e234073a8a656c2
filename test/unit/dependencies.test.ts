/**
 * package.json declares what production code imports, and nothing else: a package that
 * `server/src` or `client/src` (the webview's script included) imports must be in `dependencies` (an installed CLI gets nothing
 * else; a bundle would hide the gap), and every `dependencies` entry must be imported there.
 * Imports are read with the TypeScript compiler's parser, so comments and strings do not count.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { moduleSpecifiers, ROOT, sourceFiles } from './helpers/imports.js';

const PRODUCTION = ['server/src', 'client/src', 'client/webview/src'];
/** Provided by the editor that runs the extension, never installed. */
const PROVIDED = new Set(['vscode']);

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };

/** The package a specifier names (`@scope/name`, `name`), or undefined for a relative path or a Node builtin. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Package → the production files importing it. */
function productionImports(): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const file of PRODUCTION.flatMap(sourceFiles)) {
    for (const specifier of moduleSpecifiers(file, readFileSync(path.join(ROOT, file), 'utf8'))) {
      const name = packageOf(specifier);
      if (name === undefined || PROVIDED.has(name)) continue;
      users.set(name, [...new Set([...(users.get(name) ?? []), file])]);
    }
  }
  return users;
}

describe('dependency declarations', () => {
  const imported = productionImports();
  const dependencies = Object.keys(manifest.dependencies ?? {});

  test('every package production code imports is in `dependencies`', () => {
    const undeclared = [...imported].filter(([name]) => !dependencies.includes(name)).map(([name, files]) => `${name} (imported by ${files.join(', ')}${manifest.devDependencies?.[name] ? '; only a devDependency' : ''})`);
    assert.deepEqual(undeclared, []);
  });

  test('every `dependencies` entry is imported by production code', () => {
    assert.deepEqual(dependencies.filter((name) => !imported.has(name)), []);
  });

  test('imports are read as TypeScript reads them: every form counts, comments and strings do not', () => {
    const text = [
      "import a from 'pkg-a';",
      "import type { B } from '@scope/pkg-b/sub/path';",
      "export { c } from 'pkg-c';",
      "import d = require('pkg-d');",
      "const e = require('pkg-e');",
      "const f = await import('pkg-f/deep');",
      "type G = import('pkg-g').G;",
      "import { h } from 'node:fs'; import * as i from 'path'; import j from './local.js';",
      "// import k from 'pkg-k';",
      "const l = \"import m from 'pkg-m'\";",
      '/* require("pkg-n") */',
    ].join('\n');
    assert.deepEqual(moduleSpecifiers('x.ts', text).map(packageOf).filter(Boolean), ['pkg-a', '@scope/pkg-b', 'pkg-c', 'pkg-d', 'pkg-e', 'pkg-f', 'pkg-g']);
  });
});
