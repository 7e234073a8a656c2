/**
 * Every quick-fix golden case (test/fixtures/fixes) through the editor: the fix VS Code offers for
 * the finding, applied with `workspace.applyEdit`, gives the golden text. The cases run in a
 * `fixes/` folder of the workspace with its own policy and the two Log4j records PB101 needs.
 */
import assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { CASES } from '../../fixtures/fixes/cases';
import { diagnosticsWhen, revertAndClose, ruleOf } from './editor';
import { readText, repoUri, workspaceUri, writeText } from './workspace';
import { plainText } from '../../../server/src/core/util/plainText';

const FOLDER = 'fixes';
const golden = (file: string): Promise<string> => readText(repoUri(`test/fixtures/fixes/${file}`));

async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const result = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, kind);
  return (result ?? []).filter((a): a is vscode.CodeAction => typeof (a as vscode.Command).command !== 'string');
}

/** Writes the before-file into the workspace and opens it. */
async function openCase(name: string): Promise<vscode.TextDocument> {
  const uri = workspaceUri(`${FOLDER}/${name}.playbook.yaml`);
  await writeText(uri, await golden(`${name}.before.playbook.yaml`));
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  return document;
}

suite('quick fixes give the golden text', () => {
  suiteSetup(async () => {
    await writeText(workspaceUri(`${FOLDER}/.playbooks/policy.yaml`), 'policy: 1\nadvisories: [advisories]\n');
    // Every fixture record, as the core's golden test loads them: a PB101 fix's title says how many records it rests on.
    const records = (await vscode.workspace.fs.readDirectory(repoUri('test/fixtures/osv'))).map(([name]) => name).filter((name) => name.endsWith('.json'));
    for (const name of records) {
      await writeText(workspaceUri(`${FOLDER}/.playbooks/advisories/${name}`), await readText(repoUri(`test/fixtures/osv/${name}`)));
    }
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.workspace.fs.delete(workspaceUri(FOLDER), { recursive: true, useTrash: false });
  });

  for (const c of CASES) {
    test(`${c.name}: "${c.title}"`, async () => {
      const document = await openCase(c.name);
      const diagnostics = await diagnosticsWhen(document.uri, (d) => d.some((x) => ruleOf(x) === c.rule), `${c.rule} in ${c.name}`);
      let action: vscode.CodeAction | undefined;
      for (const d of diagnostics.filter((x) => ruleOf(x) === c.rule)) {
        action = (await codeActions(document.uri, d.range, vscode.CodeActionKind.QuickFix.value)).find((a) => a.title === plainText(c.title)); // a title is shown as text: code spans arrive quoted
        if (action) break;
      }
      assert.ok(action, `the editor offers "${c.title}"`);
      assert.equal(action.kind?.value, vscode.CodeActionKind.QuickFix.value);
      assert.equal(action.isPreferred === true, c.preferred, 'preferred (first in the lightbulb menu) or not');
      assert.ok(action.edit, 'the fix is an edit');
      assert.ok(await vscode.workspace.applyEdit(action.edit));
      assert.equal(document.getText(), await golden(`${c.name}.after.playbook.yaml`));
      await revertAndClose();
    });
  }

  test('"Fix all" is a source action and gives the golden text', async () => {
    const document = await openCase('fix-all');
    await diagnosticsWhen(document.uri, (d) => d.length > 0, 'findings in fix-all');
    const all = await codeActions(document.uri, new vscode.Range(0, 0, 0, 0), vscode.CodeActionKind.SourceFixAll.value);
    assert.equal(all.length, 1, all.map((a) => a.title).join(' | '));
    assert.ok(all[0]!.kind && vscode.CodeActionKind.SourceFixAll.contains(all[0]!.kind));
    assert.ok(await vscode.workspace.applyEdit(all[0]!.edit!));
    assert.equal(document.getText(), await golden('fix-all.after.playbook.yaml'));
    await revertAndClose();
  });
});
