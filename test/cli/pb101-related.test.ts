/** `playbook check`: PB101's advisory is a related location at the range that matched, in text, JSON and SARIF alike. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { cli } from './helpers.js';

const ROOT = path.join(__dirname, '../..');
const VULNERABLE = 'examples/vulnerable-rollback.playbook.yaml';

/** 1-based line and column of `affected[entry].ranges[range]` in an advisory file, read with jsonc-parser. */
function rangeStart(file: string, entry: number, range: number): string {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const offset = findNodeAtLocation(parseTree(text)!, ['affected', entry, 'ranges', range])!.offset;
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

test('the advisory file at the range that matched: Log4Shell and the in-house record of the vulnerable rollback', async () => {
  const log4shell = 'examples/.playbooks/advisories/GHSA-jfh8-c2jp-5v3q.json';
  const acme = 'examples/.playbooks/advisories/ACME-2026-0001.json';
  // 2.14.1 is in the first range of the first entry: 2.13.0 up to, not including, 2.15.0.
  const expected = [`${log4shell}:${rangeStart(log4shell, 0, 0)}`, `${acme}:${rangeStart(acme, 0, 0)}`];

  const text = await cli(['check', VULNERABLE], ROOT);
  assert.deepEqual(text.stdout.split('\n').filter((l) => l.startsWith('    ')).map((l) => l.trim().split(' ')[0]), expected);

  const json = JSON.parse((await cli(['check', VULNERABLE, '--format', 'json'], ROOT)).stdout) as { files: Array<{ findings: Array<{ related?: Array<{ file?: string; startLine?: number; startColumn?: number }> }> }> };
  assert.deepEqual(json.files[0]!.findings.flatMap((f) => f.related ?? []).map((r) => `${r.file}:${r.startLine}:${r.startColumn}`), expected);

  const sarif = JSON.parse((await cli(['check', VULNERABLE, '--format', 'sarif'], ROOT)).stdout) as { runs: Array<{ results: Array<{ relatedLocations?: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn: number } } }> }> }> };
  const places = sarif.runs[0]!.results.flatMap((r) => r.relatedLocations ?? []).map(({ physicalLocation: p }) => `${p.artifactLocation.uri}:${p.region?.startLine}:${p.region?.startColumn}`);
  assert.deepEqual(places, expected);
});
