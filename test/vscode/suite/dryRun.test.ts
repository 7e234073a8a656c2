/** Playbook: Dry-run in the editor: a scenario runs in the language server and the report opens beside the playbook. */
import assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { waitFor } from './waitFor';
import { openWorkspaceFile } from './workspace';

interface DryRunResult { run: { outcome: string; trace: Array<{ step: string; status: string }>; summary: { securityNotified: boolean } }; markdown: string }

suite('dry-run', () => {
  test('the command is contributed', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('playbook.dryRun'));
  });

  test('a failed rollback that escalates: the run resolves through its failure path and the report opens', async () => {
    const document = await openWorkspaceFile('checkout-outage.playbook.yaml');
    const result = await vscode.commands.executeCommand<DryRunResult>('playbook.dryRun', document.uri, { fail: ['roll-back'], deny: [] });
    assert.ok(result, 'the dry-run returned its result');
    assert.equal(result.run.outcome, 'resolved');
    assert.deepEqual(result.run.trace.find((e) => e.step === 'roll-back')?.status, 'failed');
    assert.ok(result.run.trace.some((e) => e.step === 'escalate' && e.status === 'ran'), 'the failure path escalates');
    assert.match(result.markdown, /^# Dry-run/m);
    const tab = await waitFor(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Dry-run: checkout-outage (roll-back fails)'),
      (t) => t !== undefined,
      { timeoutMs: 20_000, what: 'the report tab' },
    );
    assert.ok(tab!.input instanceof vscode.TabInputWebview, 'the report is a webview');
  });

  test('a denied security checkpoint aborts before the rollback', async () => {
    const document = await openWorkspaceFile('checkout-outage.playbook.yaml');
    const result = await vscode.commands.executeCommand<DryRunResult>('playbook.dryRun', document.uri, { fail: [], deny: ['security-review'] });
    assert.ok(result);
    assert.notEqual(result.run.trace.find((e) => e.step === 'roll-back')?.status, 'ran', 'no rollback without the approval');
    // Beside the report of the other scenario, under a title of its own.
    await waitFor(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).filter((l) => l.startsWith('Dry-run: checkout-outage')).sort(),
      (labels) => labels.includes('Dry-run: checkout-outage (security-review denied)') && new Set(labels).size === labels.length,
      { timeoutMs: 20_000, what: 'a tab title per scenario' },
    );
  });
});
