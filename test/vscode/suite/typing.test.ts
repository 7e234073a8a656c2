/**
 * Typing a playbook in the real editor: the language's defaults (two spaces, suggestions while a
 * value is typed, none made of the file's words), Enter inside a step item, and a pasted step
 * keeping its indentation.
 */
import assert from 'node:assert/strict';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { diagnosticsWhen, revertAndClose, ruleOf } from './editor';
import { waitFor } from './waitFor';
import { openWorkspaceFile, workspaceUri, writeText } from './workspace';

const START = ['playbook: typing', 'title: Typing', 'steps:', '  - id: triage', ''].join('\n');

const labelOf = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);

async function editorWith(text: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'incident-playbook', content: text });
  return vscode.window.showTextDocument(document);
}

/** Puts the cursor at the end of line `line` and types `text` there, as the keyboard would. */
async function typeAtEndOf(editor: vscode.TextEditor, line: number, text: string): Promise<void> {
  const end = editor.document.lineAt(line).range.end;
  editor.selection = new vscode.Selection(end, end);
  await vscode.commands.executeCommand('type', { text });
}

/**
 * The workbench reads a language's configuration when the first document of that language opens,
 * a moment after: until then Enter only keeps the line's indentation. Waits for it (10 s at most).
 */
async function languageConfigurationLoaded(): Promise<void> {
  const editor = await editorWith('- id: x');
  // Each attempt types Enter and reads the new line; a wrong one is undone before the next.
  await waitFor(
    async () => {
      await typeAtEndOf(editor, 0, '\n');
      const line = editor.document.lineAt(1).text;
      if (line !== '  ') await vscode.commands.executeCommand('undo');
      return line;
    },
    (line) => line === '  ',
    { timeoutMs: 10_000, what: 'the language configuration of incident-playbook to be in effect' },
  );
  await revertAndClose();
}

suite('typing a playbook', () => {
  suiteSetup(languageConfigurationLoaded);
  teardown(revertAndClose);

  test('the language\'s defaults: two spaces, quick suggestions in values and strings, no word-based suggestions', () => {
    const editor = vscode.workspace.getConfiguration('editor', { languageId: 'incident-playbook' });
    assert.equal(editor.get('tabSize'), 2);
    assert.equal(editor.get('insertSpaces'), true);
    assert.deepEqual(editor.get('quickSuggestions'), { other: 'on', comments: 'off', strings: 'on' });
    assert.equal(editor.get('wordBasedSuggestions'), 'off');
    assert.equal(editor.get('autoIndent'), 'advanced', 'Enter follows the language\'s rules; a paste is not re-indented');
  });

  test('Enter after `- id: triage` continues inside the item; after `- rollback:` and after `run: |` it goes one level deeper', async () => {
    const editor = await editorWith(START);
    await typeAtEndOf(editor, 3, '\n');
    assert.equal(editor.document.lineAt(4).text, '    ', 'aligned with `id`');
    await vscode.commands.executeCommand('type', { text: 'action: rollback' });
    await vscode.commands.executeCommand('type', { text: '\n' });
    assert.equal(editor.document.lineAt(5).text, '    ', 'a key with a value: the same level');
    await revertAndClose();

    const nested = await editorWith(['steps:', '  - rollback:', ''].join('\n'));
    await typeAtEndOf(nested, 1, '\n');
    assert.equal(nested.document.lineAt(2).text, '      ', 'inside the mapping the item\'s key opens');
    await revertAndClose();

    const block = await editorWith(['steps:', '  - run: |', ''].join('\n'));
    await typeAtEndOf(block, 1, '\n');
    assert.equal(block.document.lineAt(2).text, '      ', 'inside the block scalar');
  });

  test('a step pasted at the indentation of the steps keeps its indentation', async () => {
    const step = ['- id: notify-security', '    action: notify', '    channel: security', '    message: "Rolled back"'].join('\n');
    const editor = await editorWith(`${START}    action: triage\n  `);
    const last = editor.document.lineCount - 1;
    await vscode.env.clipboard.writeText(step);
    const end = editor.document.lineAt(last).range.end;
    editor.selection = new vscode.Selection(end, end);
    await vscode.commands.executeCommand('editor.action.clipboardPasteAction');
    assert.equal(editor.document.getText(), `${START}    action: triage\n  ${step}`);
  });

  test('snippets where they fit: the skeleton is the first suggestion on an empty file, and no snippet is offered among a step\'s fields', async () => {
    // Files on disk: the language server serves the workspace's files.
    const [emptyFile, stepFile] = [workspaceUri('typing-empty.playbook.yaml'), workspaceUri('typing-step.playbook.yaml')];
    try {
      await writeText(emptyFile, '');
      const empty = await openWorkspaceFile('typing-empty.playbook.yaml');
      const atStart = await waitFor(
        async () => vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', empty.uri, new vscode.Position(0, 0)),
        (list) => list.items.some((i) => i.detail === 'Playbook skeleton'),
        { what: 'the skeleton among the suggestions on an empty file' },
      );
      const first = [...atStart.items].sort((a, b) => (a.sortText ?? labelOf(a)).localeCompare(b.sortText ?? labelOf(b)))[0]!;
      assert.equal(first.detail, 'Playbook skeleton');
      assert.equal(first.kind, vscode.CompletionItemKind.Snippet);
      await revertAndClose();

      await writeText(stepFile, `${START}    action: rollback\n    p`);
      const step = await openWorkspaceFile('typing-step.playbook.yaml');
      const end = step.lineAt(step.lineCount - 1).range.end;
      const inStep = await waitFor(
        async () => vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', step.uri, end),
        (list) => list.items.some((i) => labelOf(i) === 'service'),
        { what: 'the rollback\'s fields' },
      );
      const snippets = inStep.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map(labelOf);
      assert.deepEqual(snippets, [], 'the editor\'s own snippets included');
    } finally {
      await revertAndClose();
      for (const file of [emptyFile, stepFile]) await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });

  test('an unsaved playbook (File > New File, Incident Playbook) is checked as it is typed', async () => {
    const editor = await editorWith('playbook: unsaved\ntitle: Unsaved\nsteps:\n  - id: roll-back\n    action: rollback\n');
    const found = await diagnosticsWhen(editor.document.uri, (d) => d.some((x) => ruleOf(x) === 'PB103'), 'the findings of an untitled playbook');
    assert.equal(editor.document.uri.scheme, 'untitled');
    assert.ok(found.some((d) => ruleOf(d) === 'PB002'), JSON.stringify(found.map(ruleOf)));
  });
});
