/**
 * Live advisories: a record security publishes into `.playbooks/advisories` re-flags an open
 * playbook without reopening it, and withdrawing it (deleting the file) clears the flag.
 */
import assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { diagnosticsWhen, ruleOf } from './editor';
import { openWorkspaceFile, workspaceUri, writeText } from './workspace';

const RECORD = {
  schema_version: '1.6.0',
  id: 'ACME-2026-0099',
  modified: '2026-04-01T09:00:00Z',
  published: '2026-04-01T09:00:00Z',
  summary: 'Checkout 2.3.1 leaks card tokens into its debug log',
  affected: [{ package: { ecosystem: 'Internal', name: 'acme/checkout', purl: 'pkg:generic/acme/checkout' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.3.1' }, { fixed: '2.4.0' }] }] }],
  database_specific: { severity: 'HIGH' },
};

suite('live advisories', () => {
  test('a new OSV record re-flags the open clean playbook; deleting it clears the flag', async () => {
    const document = await openWorkspaceFile('checkout-outage.playbook.yaml');
    const flagged = (d: vscode.Diagnostic[]): boolean => d.some((x) => ruleOf(x) === 'PB101' && x.message.includes('ACME-2026-0099'));
    await diagnosticsWhen(document.uri, (d) => !flagged(d), 'the clean example before the advisory');
    const record = workspaceUri(`.playbooks/advisories/${RECORD.id}.json`);
    await writeText(record, JSON.stringify(RECORD, null, 2));
    try {
      const diagnostics = await diagnosticsWhen(document.uri, flagged, `PB101 naming ${RECORD.id}`);
      const pb101 = diagnostics.find((x) => ruleOf(x) === 'PB101')!;
      assert.equal(document.getText(pb101.range), '2.3.1');
      assert.equal(document.lineAt(pb101.range.start.line).text.trim(), 'to: 2.3.1');
      assert.equal(pb101.severity, vscode.DiagnosticSeverity.Error, 'HIGH is an error');
    } finally {
      await vscode.workspace.fs.delete(record, { useTrash: false });
    }
    await diagnosticsWhen(document.uri, (d) => !flagged(d), 'no PB101 once the record is withdrawn');
  });
});
