/**
 * The examples do what examples/README.md says, finding for finding: each table row is a
 * finding (line, rule, severity, flagged text), "Findings: none." means none at all.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { cli } from './helpers.js';

const ROOT = path.join(__dirname, '../..');

interface Row {
  line: number;
  rule: string;
  severity: string;
  flagged: string;
}

function expectations(): Map<string, Row[]> {
  const readme = readFileSync(path.join(ROOT, 'examples/README.md'), 'utf8');
  const byFile = new Map<string, Row[]>();
  for (const section of readme.split(/^## /m).slice(1)) {
    const file = /^(\S+\.playbook\.ya?ml)/.exec(section)?.[1];
    if (!file) continue;
    const rows = [...section.matchAll(/^\| (\d+) \| (PB\d{3}) \| (\w+) \| `((?:[^`\\]|\\.)+)`/gm)].map((m) => ({
      line: Number(m[1]), rule: m[2]!, severity: m[3]!, flagged: m[4]!.replace(/\\\|/g, '|'),
    }));
    assert.ok(rows.length > 0 || /\*\*Findings: none\.\*\*/.test(section), `${file}: a table or "Findings: none."`);
    byFile.set(file, rows);
  }
  return byFile;
}

describe('the examples report what examples/README.md lists', () => {
  const expected = expectations();

  test('every example playbook is described', () => {
    assert.deepEqual([...expected.keys()].sort(), ['break-glass-access.playbook.yaml', 'checkout-outage.playbook.yaml', 'sbom-rollback.playbook.yaml', 'structure-errors.playbook.yaml', 'unguarded-rollback.playbook.yaml', 'vulnerable-rollback.playbook.yaml']);
  });

  test('findings match line, rule, severity and flagged text exactly', async () => {
    const r = await cli(['check', 'examples', '--format', 'json'], ROOT);
    assert.equal(r.code, 1, 'some examples fail on purpose');
    const report = JSON.parse(r.stdout);
    const actualFiles = report.files.filter((f: { kind: string }) => f.kind === 'playbook');
    assert.equal(actualFiles.length, expected.size);
    for (const file of actualFiles) {
      const name = path.basename(file.path);
      const text = readFileSync(path.join(ROOT, file.path), 'utf8');
      const actual = file.findings.map((f: { startLine: number; ruleId: string; severity: string; offset: { start: number; end: number } }) => ({
        line: f.startLine, rule: f.ruleId, severity: f.severity, flagged: text.slice(f.offset.start, f.offset.end).split('\n')[0]!,
      }));
      const wanted = expected.get(name)!.map((row) => ({ ...row, flagged: row.flagged.split('\n')[0]! }));
      const key = (x: Row): string => `${x.line} ${x.rule} ${x.severity} ${x.flagged}`;
      assert.deepEqual(actual.map(key).sort(), wanted.map(key).sort(), name);
    }
    assert.equal(report.files.filter((f: { kind: string }) => f.kind === 'policy').length, 0, 'the example policy and advisories are valid');
  });

  test('SARIF for the examples is valid SARIF 2.1.0', async () => {
    const r = await cli(['check', 'examples', '--format', 'sarif'], ROOT);
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const log: { runs: Array<{ results: Array<{ ruleId: string }> }> } = JSON.parse(r.stdout);
    assert.ok(validate(log), JSON.stringify(validate.errors));
    const rules = new Set(log.runs[0]!.results.map((x) => x.ruleId));
    for (const id of ['PB002', 'PB003', 'PB004', 'PB005', 'PB006', 'PB007', 'PB100', 'PB101', 'PB102', 'PB103', 'PB104', 'PB105', 'PB106', 'PB107', 'PB108']) assert.ok(rules.has(id), id);
  });
});
