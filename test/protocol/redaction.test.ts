/** No secret in what the language server sends: diagnostics, hover, code lens and the dry-run request (the report and its saved file). */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeLensRequest, HoverRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { dryRunRequest, flowViewRequest } from '../../server/src/shared/protocol.js';
import { assertNoSecret, SECRET_PLAYBOOK } from '../unit/helpers/secretPlaybook.js';
import { startSession, type Session } from './harness.js';

let s: Session;
let uri: string;
after(() => s?.dispose());
const doc = TextDocument.create('file:///drill.playbook.yaml', 'incident-playbook', 1, SECRET_PLAYBOOK);

/** Offsets of every key and scalar value of the playbook. */
function scalarStarts(): number[] {
  const out: number[] = [];
  const stack: unknown[] = [parseDocument(SECRET_PLAYBOOK).contents];
  while (stack.length) {
    const node = stack.pop();
    if (isScalar(node) && node.range) out.push(node.range[0]);
    else if (isPair(node)) stack.push(node.key, node.value);
    else if (isMap(node) || isSeq(node)) stack.push(...(node.items as Node[]));
  }
  return out.sort((a, b) => a - b);
}

describe('the language server shows no secret', () => {
  test('start with the secret playbook open', async () => {
    s = await startSession({ files: { 'drill.playbook.yaml': SECRET_PLAYBOOK } });
    uri = await s.open('drill.playbook.yaml');
  });

  test('diagnostics: messages and related information', async () => {
    const diagnostics: Diagnostic[] = await s.diagnostics(uri, (d) => d.some((x) => x.code === 'PB104'));
    assert.ok(diagnostics.length > 20);
    for (const d of diagnostics) {
      assertNoSecret(typeof d.message === 'string' ? d.message : d.message.value, `${String(d.code)} message`);
      for (const r of d.relatedInformation ?? []) assertNoSecret(r.message, `${String(d.code)} related`);
      assertNoSecret(JSON.stringify(d.data ?? null), `${String(d.code)} data`);
    }
  });

  test('the dry-run request: the report data and the Markdown the editor saves', async () => {
    for (const scenario of [{ fail: [], deny: [] }, { fail: [], deny: ['gate'] }]) {
      const result = await s.client.sendRequest(dryRunRequest, { uri, ...scenario });
      assert.match(result.markdown, /PGPASSWORD=••• psql/);
      assertNoSecret(JSON.stringify(result.run), 'the dry-run data');
      assertNoSecret(result.markdown, 'the dry-run Markdown');
    }
  });

  test('the flow view: node labels, captions and finding messages', async () => {
    const view = await s.client.sendRequest(flowViewRequest, { uri });
    assert.ok(view && view.nodes.length > 5);
    assertNoSecret(JSON.stringify(view), 'the flow view');
  });

  test('hover over every key and value', async () => {
    let shown = 0;
    for (const offset of scalarStarts()) {
      const result = await s.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: doc.positionAt(offset) });
      if (!result) continue;
      shown++;
      assertNoSecret(JSON.stringify(result.contents), `hover at ${offset}`);
    }
    assert.ok(shown > 50, `${shown} hovers`);
  });

  test('code lens titles', async () => {
    const lenses = (await s.client.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
    assert.ok(lenses.some((l) => l.command?.title === 'tells security (•••)'), lenses.map((l) => l.command?.title).join(' | '));
    for (const lens of lenses) assertNoSecret(lens.command?.title ?? '', 'a lens');
  });
});
