/**
 * The layering the architecture promises, checked on the imports themselves (read with the
 * TypeScript parser, type-only imports included):
 * - the core is pure: it imports only the core, its JSON Schemas and the libraries listed here,
 *   never Node's built-ins, the editor, the transport or the node layer, and never names `process`;
 * - the adapters (server/src/cli, lsp, node and client/src) reach the core only through its
 *   façade, server/src/core/index.ts, so the core's inside can move without touching them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { moduleSpecifiers, ROOT, sourceFiles } from './helpers/imports.js';

const CORE = 'server/src/core';
const FACADE = path.join(CORE, 'index.ts');
/** What the pure core may import besides itself: parsing and data libraries with no I/O. */
const CORE_LIBRARIES = new Set(['yaml', 'ajv', 'ajv-formats', 'semver', 'packageurl-js', '@renovatebot/pep440', 'ae-cvss-calculator', 'fastest-levenshtein', 'jsonc-parser']);
/** The JSON Schemas the core validates with (bundled as data). */
/** The data the core bundles: the JSON Schemas and the shipped snippets. */
const DATA = ['schemas/', 'snippets/'];

/** Every (file, specifier) pair under the folders. */
function importsOf(folders: string[]): { file: string; specifier: string }[] {
  return folders.flatMap(sourceFiles).flatMap((file) => moduleSpecifiers(file, readFileSync(path.join(ROOT, file), 'utf8')).map((specifier) => ({ file, specifier })));
}

/** The repository path a relative specifier names, without its extension. */
function target(file: string, specifier: string): string {
  return path.join(path.dirname(file), specifier).replace(/\.js$/, '');
}

/** A bare specifier's package name (`@scope/name/sub` → `@scope/name`). */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Lines (1-based) where the code names the global `process` (a property named so, as in `x.process`, is not it). */
function processUses(fileName: string, text: string): number[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    const isGlobalProperty = ts.isPropertyAccessExpression(node.parent) && node.parent.name === node && /^(globalThis|global|window|self)$/.test(node.parent.expression.getText(source));
    const isOtherProperty = ts.isPropertyAccessExpression(node.parent) && node.parent.name === node && !isGlobalProperty;
    const isDeclarationName = (ts.isPropertyAssignment(node.parent) || ts.isPropertyDeclaration(node.parent) || ts.isPropertySignature(node.parent) || ts.isMethodDeclaration(node.parent)) && node.parent.name === node;
    if (ts.isIdentifier(node) && node.text === 'process' && !isOtherProperty && !isDeclarationName) lines.push(source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return lines;
}

describe('layering', () => {
  test('the core imports only itself and pure libraries', () => {
    const outside = importsOf([CORE]).filter(({ file, specifier }) => specifier.startsWith('.')
      ? !target(file, specifier).startsWith(`${CORE}/`) && !(DATA.some((folder) => target(file, specifier).startsWith(folder)) && specifier.endsWith('.json'))
      : !CORE_LIBRARIES.has(packageName(specifier)));
    assert.deepEqual(outside.map(({ file, specifier }) => `${file} imports ${specifier}`), []);
  });

  test('the core never touches process (no environment, arguments, working folder or exit)', () => {
    const uses = sourceFiles(CORE).flatMap((file) => processUses(file, readFileSync(path.join(ROOT, file), 'utf8')).map((line) => `${file}:${line}`));
    assert.deepEqual(uses, []);
  });

  test('the process check sees every way of reaching it, and not the word in a comment or a string', () => {
    const sample = "// process.env is read elsewhere\nconst s = 'process.exit';\nconst a = process.env.X;\nconst { argv } = process;\nglobalThis.process.exit(1);\n";
    assert.deepEqual(processUses('sample.ts', sample), [3, 4, 5]);
  });

  test('the adapters reach the core only through server/src/core/index.ts', () => {
    const adapters = ['server/src/cli', 'server/src/lsp', 'server/src/node', 'client/src'];
    const imports = importsOf(adapters).filter(({ file, specifier }) => specifier.startsWith('.') && `${target(file, specifier)}/`.startsWith(`${CORE}/`));
    assert.ok(imports.length > 10, 'the adapters do use the core');
    const around = imports.filter(({ file, specifier }) => `${target(file, specifier)}.ts` !== FACADE);
    assert.deepEqual(around.map(({ file, specifier }) => `${file} imports ${specifier}`), []);
  });

  test('the façade re-exports only what an adapter imports', () => {
    // A name the façade offers and no adapter uses is dead weight in the contract: knip reports it too,
    // but this says which side is wrong in the façade's own terms.
    const facade = readFileSync(path.join(ROOT, FACADE), 'utf8');
    const offered = [...facade.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim().replace(/^type /, '')).filter(Boolean));
    const adapterText = ['server/src/cli', 'server/src/lsp', 'server/src/node', 'server/src/shared', 'client/src'].flatMap(sourceFiles).map((f) => readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
    const unused = offered.filter((name) => !new RegExp(`\\b${name}\\b`).test(adapterText));
    assert.deepEqual(unused, []);
  });
});
