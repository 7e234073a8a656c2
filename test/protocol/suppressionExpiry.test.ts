/**
 * A suppression written `until` a day ends while the editor is open: when the day comes (by the
 * server's clock, which the test moves) the playbook is checked again without an edit, and the
 * finding is back with PB109 on the comment.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { withDownloadUnder } from '../cli/playbooks.js';
import { sessionStarter } from './harness.js';

const session = sessionStarter();

const PLAYBOOK = withDownloadUnder('# playbook-ignore PB105 until 2027-03-01: the installer is pinned in CHG-1234');

describe('suppressions that end, in the editor', () => {
  test('the day comes while the playbook is open: PB105 is back and PB109 says the suppression expired', async () => {
    let now = Date.parse('2027-02-28T23:30:00Z');
    const s = await session({ files: { 'a.playbook.yaml': PLAYBOOK }, server: { now: () => new Date(now), ageCheckEveryMs: 20 } });
    const uri = await s.open('a.playbook.yaml');
    const before = await s.diagnostics(uri);
    assert.deepEqual(before.filter((d) => d.code === 'PB105' || d.code === 'PB109'), [], 'suppressed on the last day');
    now = Date.parse('2027-03-01T00:10:00Z');
    const afterMidnight = await s.diagnostics(uri, (d) => d.some((x) => x.code === 'PB109'));
    const pb109 = afterMidnight.find((d) => d.code === 'PB109')!;
    assert.match(String(pb109.message), /^the suppression of PB105 expired on 2027-03-01/);
    assert.deepEqual(pb109.range.start, { line: 14, character: 2 });
    assert.equal(afterMidnight.find((d) => d.code === 'PB105')?.severity, DiagnosticSeverity.Warning);
  });
});
