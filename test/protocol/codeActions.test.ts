/** Quick fixes over JSON-RPC: every golden case through the real server, and stale versions refused. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CodeActionKind, CodeActionRequest, type CodeAction, type Diagnostic, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CASES } from '../fixtures/fixes/cases.js';
import { startSession, type Session } from './harness.js';
import { plainText } from '../../server/src/core/util/plainText.js';

const FIXES = path.join(__dirname, '../fixtures/fixes');
const OSV = path.join(__dirname, '../fixtures/osv');
const read = (file: string): string => readFileSync(path.join(FIXES, file), 'utf8');

let session: Session;
after(() => session?.dispose());

function applyAction(text: string, action: CodeAction, version: number): string {
  const changes = action.edit?.documentChanges as TextDocumentEdit[] | undefined;
  assert.ok(changes?.length === 1, 'one versioned document edit');
  assert.equal(changes[0]!.textDocument.version, version, 'the edit is for the version the fix was computed on');
  return TextDocument.applyEdits(TextDocument.create('x', 'yaml', 0, text), changes[0]!.edits as TextEdit[]);
}

async function actionsFor(uri: string, diagnostics: Diagnostic[], range = diagnostics[0]!.range, only?: string[]): Promise<CodeAction[]> {
  const result = await session.client.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  return (result ?? []) as CodeAction[];
}

describe('quick fixes through the language server', () => {
  test('start a session with the advisories the golden cases need', async () => {
    session = await startSession({
      files: {
        '.playbooks/policy.yaml': 'policy: 1\nadvisories: [advisories]\n',
        // Every fixture record, as the core's golden test loads them: the fix titles say how many records they rest on.
        ...Object.fromEntries(readdirSync(OSV).filter((f) => f.endsWith('.json')).map((f) => [`.playbooks/advisories/${f}`, readFileSync(path.join(OSV, f), 'utf8')])),
      },
    });
  });

  for (const c of CASES) {
    test(`${c.name}: "${c.title}" gives the golden text`, async () => {
      const text = read(`${c.name}.before.playbook.yaml`);
      const uri = await session.open(`${c.name}.playbook.yaml`, text);
      const diagnostics = await session.diagnostics(uri, (d) => d.some((x) => x.code === c.rule));
      const target = diagnostics.filter((d) => d.code === c.rule);
      let action: CodeAction | undefined;
      for (const d of target) {
        // The editor shows a title as text: the core's code spans arrive quoted.
        action = (await actionsFor(uri, [d], d.range)).find((a) => a.title === plainText(c.title));
        if (action) break;
      }
      assert.ok(action, `the server offers "${c.title}"`);
      assert.equal(action.kind, CodeActionKind.QuickFix);
      assert.equal(action.isPreferred === true, c.preferred);
      assert.equal(applyAction(text, action, 1), read(`${c.name}.after.playbook.yaml`));
      await session.close(uri);
    });
  }

  test('fix-all is offered as a source action and converges', async () => {
    const text = read('fix-all.before.playbook.yaml');
    const uri = await session.open('fix-all.playbook.yaml', text);
    const diagnostics = await session.diagnostics(uri, (d) => d.length > 0);
    const [all] = await actionsFor(uri, [], { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [CodeActionKind.SourceFixAll]);
    assert.equal(all?.kind, CodeActionKind.SourceFixAll);
    const fixed = applyAction(text, all, 1);
    assert.equal(fixed, read('fix-all.after.playbook.yaml'));
    const version = await session.change(uri, fixed);
    const remaining = await session.diagnostics(uri, () => true, version);
    assert.ok(remaining.length < diagnostics.length);
    assert.deepEqual(await actionsFor(uri, [], { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [CodeActionKind.SourceFixAll]), [], 'nothing left to fix');
  });

  test('a code action request for diagnostics of an older version is refused', async () => {
    const text = read('pb004-reference.before.playbook.yaml');
    const uri = await session.open('stale.playbook.yaml', text);
    const old = await session.diagnostics(uri, (d) => d.some((x) => x.code === 'PB004'));
    const pb004 = old.find((d) => d.code === 'PB004')!;
    assert.ok((await actionsFor(uri, [pb004])).length > 0, 'fixes are offered for the current version');
    const version = await session.change(uri, `# edited\n${text}`);
    await session.diagnostics(uri, () => true, version);
    assert.deepEqual(await actionsFor(uri, [pb004]), [], 'no fix is computed against text the diagnostic no longer describes');
  });
});
