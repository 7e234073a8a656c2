/**
 * What the editor shows as plain text never shows Markdown backticks: on every example, the
 * diagnostics (messages and related information), code lens titles, quick fix titles, completion
 * details and outline details. Hovers, which VS Code renders as Markdown, keep their code spans.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CodeActionRequest, CodeLensRequest, CompletionRequest, DocumentSymbolRequest, HoverRequest, type CodeAction, type DocumentSymbol } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startSession, type Session } from './harness.js';

const EXAMPLES = path.join(__dirname, '../../examples');
const FILES = readdirSync(EXAMPLES).filter((f) => f.endsWith('.playbook.yaml'));

let s: Session;
after(() => s?.dispose());

function noBacktick(text: string | undefined, where: string): void {
  assert.ok(!text?.includes('`'), `${where}: ${text}`);
}

describe('plain-text surfaces show no backticks', () => {
  test('start on a copy of the examples', async () => {
    s = await startSession();
    cpSync(EXAMPLES, s.root, { recursive: true });
    await s.filesChanged([{ uri: s.uri('.playbooks/policy.yaml'), type: 1 }]);
  });

  for (const file of FILES) {
    test(file, async () => {
      const text = readFileSync(path.join(EXAMPLES, file), 'utf8');
      const doc = TextDocument.create('file:///x', 'incident-playbook', 1, text);
      const uri = await s.open(file);
      const diagnostics = await s.diagnostics(uri, () => true); // the clean example publishes an empty set
      let spans = 0;
      for (const d of diagnostics) {
        noBacktick(d.message as string, `${String(d.code)} message`);
        for (const r of d.relatedInformation ?? []) noBacktick(r.message, `${String(d.code)} related`);
        const actions = (await s.client.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
        for (const a of actions) noBacktick(a.title, 'quick fix title');
        // Hovers are Markdown: the same names stay code there.
        const hover = await s.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: d.range.start });
        if (hover && JSON.stringify(hover.contents).includes('`')) spans++;
      }
      for (const lens of (await s.client.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? []) noBacktick(lens.command?.title, 'code lens');
      const symbols = ((await s.client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) ?? []) as DocumentSymbol[];
      for (const symbol of symbols.flatMap((x) => [x, ...(x.children ?? [])])) noBacktick(symbol.detail, 'outline detail');
      // Completion where values are typed: after each `action:`, `to:` and `requires:`.
      for (const key of ['action: ', 'to: ', 'requires: [']) {
        const at = text.indexOf(key);
        if (at < 0) continue;
        const list = await s.client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: doc.positionAt(at + key.length) });
        const items = Array.isArray(list) ? list : (list?.items ?? []);
        for (const item of items) noBacktick(item.detail, `completion detail of ${item.label}`);
      }
      assert.ok(spans > 0 || diagnostics.length < 2, 'the hovers still render code spans');
      await s.close(uri);
    });
  }
});
