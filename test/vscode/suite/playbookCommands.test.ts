/**
 * The commands that start and explain: New Playbook… (every template checks clean where it lands),
 * Open Policy (the one in force, or a new one with every setting commented at its default), and
 * the rule pages rule links open.
 */
import assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { diagnosticsWhen, revertAndClose, summarize } from './editor';
import { waitFor } from './waitFor';
import { readText, workspaceUri } from './workspace';

const TEMPLATES = ['rollback.playbook.yaml', 'failover.playbook.yaml', 'break-glass-access.playbook.yaml', 'secret-rotation.playbook.yaml'];

/** The file's findings once the server has surely checked it: an error typed in shows up, and goes again with its undo. */
async function settledDiagnostics(document: vscode.TextDocument): Promise<string[]> {
  const editor = await vscode.window.showTextDocument(document);
  const end = document.lineAt(document.lineCount - 1).range.end;
  await editor.edit((e) => e.insert(end, 'nonsense: [\n'));
  await diagnosticsWhen(document.uri, (d) => d.some((x) => String(typeof x.code === 'object' ? x.code.value : x.code) === 'PB001'), 'the typed syntax error');
  await vscode.commands.executeCommand('undo');
  const settled = await diagnosticsWhen(document.uri, (d) => !d.some((x) => String(typeof x.code === 'object' ? x.code.value : x.code) === 'PB001'), 'the undo checked');
  return summarize(settled);
}

suite('New Playbook, Open Policy, rule pages', () => {
  for (const template of TEMPLATES) {
    test(`New Playbook… from ${template}: written under the chosen id, opened, and clean under the workspace's policy`, async () => {
      const id = `new-${template.replace('.playbook.yaml', '')}`;
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('playbook.newPlaybook', template, id);
      try {
        assert.ok(uri, 'a file was written');
        assert.equal(uri.toString(), workspaceUri(`${id}.playbook.yaml`).toString());
        assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), 'and opened');
        const text = await readText(uri);
        assert.match(text, new RegExp(`^playbook: ${id}$`, 'm'));
        assert.deepEqual(await settledDiagnostics(vscode.window.activeTextEditor.document), []);
      } finally {
        await revertAndClose();
        if (uri) await vscode.workspace.fs.delete(uri);
      }
    });
  }

  test('New Playbook… refuses an id that is not kebab-case, or whose file exists', async () => {
    for (const id of ['Bad Id', 'checkout-outage']) {
      const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('playbook.newPlaybook', 'rollback.playbook.yaml', id);
      assert.equal(uri, undefined, id);
    }
    assert.match(await readText(workspaceUri('checkout-outage.playbook.yaml')), /^playbook: checkout-outage$/m, 'the existing playbook is untouched');
  });

  test('Open Policy opens the policy in force', async () => {
    await vscode.window.showTextDocument(workspaceUri('checkout-outage.playbook.yaml'));
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('playbook.openPolicy');
    assert.equal(uri?.toString(), workspaceUri('.playbooks/policy.yaml').toString());
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri?.toString());
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Open Policy without a policy creates one, every setting commented at its default, and it checks clean', async () => {
    const policy = workspaceUri('.playbooks/policy.yaml');
    const aside = workspaceUri('.playbooks/policy.yaml.aside');
    await vscode.workspace.fs.rename(policy, aside);
    try {
      await vscode.window.showTextDocument(workspaceUri('checkout-outage.playbook.yaml'));
      // The server hears of the removed policy through the file watcher; until then it still knows the old one.
      const uri = await waitFor(async () => {
        const opened = await vscode.commands.executeCommand<vscode.Uri | undefined>('playbook.openPolicy');
        const exists = await vscode.workspace.fs.stat(policy).then(() => true, () => false);
        return exists ? opened : undefined;
      }, (u) => u !== undefined, { what: 'a new policy file' });
      assert.equal(uri?.toString(), policy.toString());
      const text = await readText(policy);
      assert.match(text, /^policy: 1$/m);
      assert.match(text, /^# risky-actions: \[run, rollback, deploy, failover, config-change, access-grant, rotate-secret, block-traffic\]$/m);
      assert.match(text, /^# {3}maxSbomBytes: 67108864$/m);
      const document = vscode.window.activeTextEditor!.document;
      assert.equal(document.uri.toString(), policy.toString());
      await waitFor(() => vscode.languages.getDiagnostics(policy).filter((d) => d.source === 'playbook'), (d) => d.length === 0, { what: 'a clean new policy' });
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(policy).then(undefined, () => undefined);
      await vscode.workspace.fs.rename(aside, policy);
    }
  });

  test('a rule link opens the page shipped with the extension, as a Markdown preview', async () => {
    const { document } = await vscode.window.showTextDocument(workspaceUri('unguarded-rollback.playbook.yaml'));
    const diagnostics = await diagnosticsWhen(document.uri, (d) => d.some((x) => typeof x.code === 'object' && x.code.value === 'PB100'), 'PB100 with its link');
    const code = diagnostics.find((x) => typeof x.code === 'object' && x.code.value === 'PB100')!.code as { value: string; target: vscode.Uri };
    assert.equal(code.target.scheme, 'command', `${code.target.toString()} is a command link`);
    assert.equal(code.target.path, 'playbook.showRule');
    // What the Problems panel does with a command link: run the command with the link's arguments.
    const args = JSON.parse(decodeURIComponent(code.target.query)) as unknown[];
    assert.deepEqual(args, ['PB100']);
    await vscode.commands.executeCommand(code.target.path, ...args);
    const tab = await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /PB100\.md/.test(t.label)), (t) => t !== undefined, { what: 'the PB100 page preview' });
    assert.ok(tab && tab.input instanceof vscode.TabInputWebview, `a preview, not the Markdown source: ${tab?.label}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
