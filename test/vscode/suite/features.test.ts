/**
 * Completion, hover, definition, references, rename, symbols and code lens, each through the
 * `vscode.execute*Provider` command a user's keystroke would run, on the example playbooks.
 */
import assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { applyTextEdits, diagnosticsWhen, positionOf } from './editor';
import { openWorkspaceFile } from './workspace';

const label = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);
const hoverText = (hovers: vscode.Hover[]): string =>
  hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
const locationsOf = (result: (vscode.Location | vscode.LocationLink)[]): vscode.Location[] =>
  result.map((l) => ('targetUri' in l ? new vscode.Location(l.targetUri, l.targetSelectionRange ?? l.targetRange) : l));

suite('editor features on the examples', () => {
  let doc: vscode.TextDocument;
  suiteSetup(async () => {
    doc = await openWorkspaceFile('vulnerable-rollback.playbook.yaml');
    // The server has analysed the file once its findings are in (the advisories are loaded by then).
    await diagnosticsWhen(doc.uri, (d) => d.length > 0, 'the findings of vulnerable-rollback');
  });
  teardown(async () => {
    if (doc.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  test('completion at a `to:` value lists the releases, labelled clear or with the advisories that stand (struck through)', async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, positionOf(doc, 'to: 2.14.1', 4));
    const byLabel = new Map(list.items.map((i) => [label(i), i]));
    assert.match(byLabel.get('2.12.2')?.detail ?? '', /^clear/, [...byLabel.keys()].join(','));
    assert.match(byLabel.get('2.14.1')?.detail ?? '', /^1 standing advisory \(1 critical\)/);
    assert.deepEqual(byLabel.get('2.14.1')?.tags, [vscode.CompletionItemTag.Deprecated]);
    assert.ok(byLabel.has('2.17.1'));
  });

  test('completion offers step ids in `requires` and action names after `action:`', async () => {
    const steps = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, positionOf(doc, 'requires: [vulnerability-scan]', 'requires: ['.length));
    assert.ok(steps.items.map(label).includes('vulnerability-scan'), steps.items.map(label).join(','));
    const actions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, positionOf(doc, 'action: rollback', 'action: '.length));
    for (const a of ['rollback', 'deploy', 'checkpoint', 'notify']) assert.ok(actions.items.map(label).includes(a), a);
  });

  test('hover on a version shows its advisory; on a field, its documentation', async () => {
    const version = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'to: 2.14.1', 5)));
    assert.match(version, /GHSA-jfh8-c2jp-5v3q/);
    assert.match(version, /CVE-2021-44228/);
    const field = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, '    to: 2.14.1', 5)));
    assert.match(field, /roll back to/i);
  });

  test('go to definition: a step reference leads to the step id, a service to its declaration', async () => {
    const step = locationsOf(await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, 'requires: [vulnerability-scan]', 12)));
    assert.equal(step.length, 1);
    assert.deepEqual(step[0]!.range.start, positionOf(doc, '- id: vulnerability-scan', 6));
    const service = locationsOf(await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, 'service: checkout', 10)));
    assert.deepEqual(service[0]!.range.start, positionOf(doc, '  checkout:', 2));
  });

  test('find references lists every use of a step id and its declaration', async () => {
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, positionOf(doc, '- id: escalate', 6));
    const lines = doc.getText().split('\n').flatMap((l, i) => (/(on-failure: escalate|- id: escalate)$/.test(l) ? [i] : []));
    assert.deepEqual(refs.map((r) => r.range.start.line).sort((a, b) => a - b), lines);
    assert.ok(refs.every((r) => doc.getText(r.range) === 'escalate'));
  });

  test('rename a step changes its id and every reference; an invalid id is refused with the reason', async () => {
    const at = positionOf(doc, '- id: escalate', 7);
    const prepared = await vscode.commands.executeCommand<{ range: vscode.Range; placeholder: string }>('vscode.prepareRename', doc.uri, at);
    assert.equal(prepared.placeholder, 'escalate');
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, at, 'page-release-manager');
    const before = doc.getText();
    const expected = applyTextEdits(doc, edit.get(doc.uri));
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(doc.getText(), expected);
    assert.equal(doc.getText(), before.replace(/(on-failure: |- id: )escalate$/gm, '$1page-release-manager'));
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', doc.uri, positionOf(doc, '- id: triage', 7), 'Triage Step')),
      (e: Error) => /kebab-case/.test(e.message),
    );
  });

  test('document symbols (the outline) list steps with what they do, services and channels', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    const steps = symbols.find((s) => s.name === 'steps');
    assert.deepEqual(steps?.children.map((c) => c.name), ['triage', 'vulnerability-scan', 'roll-back-search', 'tell-security-search', 'roll-back-checkout', 'tell-security-checkout', 'deploy-hotfix', 'tell-security-hotfix', 'verify', 'escalate', 'review']);
    assert.match(steps.children[2]!.detail, /rollback search-api → 2\.14\.1/);
    assert.deepEqual(symbols.find((s) => s.name === 'services')?.children.map((c) => c.name), ['search-api', 'checkout']);
    assert.deepEqual(symbols.find((s) => s.name === 'channels')?.children.map((c) => c.name), ['security', 'incident']);
  });

  test('code lens over each risky step names its guard, and clicking it selects the checkpoint', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const guarded = lenses.filter((l) => l.command?.title.startsWith('guarded by'));
    assert.deepEqual(guarded.map((l) => doc.lineAt(l.range.start.line).text.trim()), ['- id: roll-back-search', '- id: roll-back-checkout', '- id: deploy-hotfix']);
    assert.deepEqual(guarded.map((l) => l.command!.title), Array(3).fill("guarded by 'vulnerability-scan'"), 'the checkpoint is on every path to them');
    const editor = await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand(guarded[0]!.command!.command, ...(guarded[0]!.command!.arguments ?? []));
    assert.equal(vscode.window.activeTextEditor?.document.getText(vscode.window.activeTextEditor.selection), 'vulnerability-scan');
    assert.equal(vscode.window.activeTextEditor?.selection.start.line, positionOf(doc, '- id: vulnerability-scan').line);
    assert.equal(editor.document, doc);

    const unguarded = await openWorkspaceFile('unguarded-rollback.playbook.yaml');
    const titles = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', unguarded.uri)).map((l) => l.command?.title);
    assert.ok(titles.includes('not guarded by a security checkpoint: show the paths'), titles.join(' | '));
  });

  test('every code lens runs a command the extension registers', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const missing = lenses.filter((l) => l.command?.command && !registered.has(l.command.command)).map((l) => `"${l.command!.title}" → ${l.command!.command}`);
    assert.deepEqual(missing, [], 'a lens whose command is not registered fails with "command not found" when clicked');
  });
});
