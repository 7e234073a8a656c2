/** The hostile corpus through the language server: every document gets diagnostics inside its text, and the server keeps answering. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest, DocumentSymbolRequest, CodeActionRequest } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { hostileCorpus } from '../fixtures/hostile/corpus.js';
import { startSession, type Session } from './harness.js';

let s: Session;
after(() => s?.dispose());

test('every hostile document is checked, with ranges inside it, and features still answer', { timeout: 120_000 }, async () => {
  s = await startSession();
  for (const [i, c] of hostileCorpus().entries()) {
    const uri = await s.open(`hostile-${i}.playbook.yaml`, c.text);
    const diagnostics = await s.diagnostics(uri);
    const doc = TextDocument.create(uri, 'yaml', 1, c.text);
    const end = doc.positionAt(c.text.length);
    for (const d of diagnostics) {
      assert.ok(d.range.end.line < end.line || (d.range.end.line === end.line && d.range.end.character <= end.character), `${c.name}: ${d.code} ends inside the document`);
    }
    // Features on hostile text answer without an error, whatever they find.
    const middle = doc.positionAt(Math.floor(c.text.length / 2));
    await s.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: middle });
    await s.client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    await s.client.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: middle, end: middle }, context: { diagnostics } });
    await s.close(uri);
  }
  const alive = await s.open('alive.playbook.yaml', 'playbook: still-here\n');
  assert.ok((await s.diagnostics(alive, (d) => d.length > 0)).length > 0, 'the server still checks documents');
});
