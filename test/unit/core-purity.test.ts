/** The core imports no editor, transport or I/O module (docs/architecture.md, invariants). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const CORE = path.join(__dirname, '../../server/src/core');
const FORBIDDEN = /^(node:)?(fs|fs\/promises|net|http|https|http2|child_process|dgram|tls|worker_threads|process|cluster)$|^vscode(-languageserver(\/.*)?|-languageclient(\/.*)?)?$/;
const SPECIFIER = /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

test('no core module imports vscode, the language server, fs, net, http(s), child_process or process', () => {
  const files = sources(CORE);
  assert.ok(files.length > 10, 'the core sources were found');
  const offenders: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4]!;
      if (FORBIDDEN.test(spec)) offenders.push(`${path.relative(CORE, file)} imports ${spec}`);
    }
    if (/\bprocess\.(env|argv|exit|cwd|stdout|stderr)\b/.test(text)) offenders.push(`${path.relative(CORE, file)} uses process`);
  }
  assert.deepEqual(offenders, []);
});

test('the check itself catches a forbidden import (guards against a pattern that never matches)', () => {
  const sample = "import { readFileSync } from 'node:fs';\nimport x from 'vscode-languageserver/node';\nconst cp = require('child_process');";
  const found = [...sample.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!).filter((s) => FORBIDDEN.test(s));
  assert.deepEqual(found, ['node:fs', 'vscode-languageserver/node', 'child_process']);
});
