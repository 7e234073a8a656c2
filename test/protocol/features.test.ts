/** Completion, hover, navigation, rename, symbols, code lens, file watching, Check Workspace and status over JSON-RPC. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CodeLensRequest, CompletionRequest, DefinitionRequest, DocumentSymbolRequest, FileChangeType, HoverRequest, PrepareRenameRequest,
  ReferencesRequest, RenameRequest, type DocumentSymbol, type Location, type Position, type TextDocumentEdit, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkWorkspaceRequest } from '../../server/src/shared/protocol.js';
import { startSession, type Session } from './harness.js';

const OSV = path.join(__dirname, '../fixtures/osv');
const LOG4SHELL = readFileSync(path.join(OSV, 'GHSA-jfh8-c2jp-5v3q.json'), 'utf8');

const PLAYBOOK = `playbook: search-outage
title: Search is down
owners:
  sre: "@search-sre"
  security: "@secops"
services:
  search:
    package: pkg:maven/org.apache.logging.log4j/log4j-core
    current: 2.17.1
    releases: [2.12.2, 2.14.1, 2.17.1]
channels:
  security: "#sec"
steps:
  - id: gate
    action: checkpoint
    kind: security-review
  - id: roll-back
    action: rollback
    service: search
    to: 2.12.2
    requires: [gate]
  - id: tell
    action: notify
    channel: security
  - id: review
    action: postmortem
`;

let s: Session;
let uri: string;
after(() => s?.dispose());

/** Position of the n-th occurrence of `needle` (plus `delta` characters) in the playbook. */
function at(needle: string, delta = 0, nth = 0): Position {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = PLAYBOOK.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, needle);
  return TextDocument.create('x', 'yaml', 0, PLAYBOOK).positionAt(offset + delta);
}
const doc = TextDocument.create('x', 'yaml', 0, PLAYBOOK);
const textOf = (l: Location): string => doc.getText(l.range);

describe('editor features through the language server', () => {
  test('open a playbook in a workspace with a policy and an advisory', async () => {
    s = await startSession({ files: { '.playbooks/policy.yaml': 'policy: 1\nadvisories: [advisories]\nadvisories-max-age: 999999d\n', '.playbooks/advisories/GHSA-jfh8-c2jp-5v3q.json': LOG4SHELL, 'search.playbook.yaml': PLAYBOOK } });
    uri = await s.open('search.playbook.yaml');
    assert.deepEqual(await s.diagnostics(uri), []);
  });

  test('completion offers versions with their advisory status, the affected one marked deprecated', async () => {
    const list = await s.client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: at('to: 2.12.2', 4) });
    const items = (Array.isArray(list) ? list : list?.items ?? []);
    const byLabel = new Map(items.map((i) => [i.label, i]));
    assert.match(byLabel.get('2.12.2')!.detail!, /^clear/);
    assert.match(byLabel.get('2.14.1')!.detail!, /^1 standing advisory \(1 critical\)/);
    assert.deepEqual(byLabel.get('2.14.1')!.tags, [1]);
    assert.ok(byLabel.get('2.14.1')!.textEdit, 'items carry the range they replace');
  });

  test('completion offers step ids in requires and actions after action:', async () => {
    const list = await s.client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: at('requires: [gate]', 11) });
    const labels = ((Array.isArray(list) ? list : list?.items ?? [])).map((i) => i.label);
    assert.ok(labels.includes('gate') && !labels.includes('roll-back'), labels.join(','));
    const actions = await s.client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: at('action: rollback', 8) });
    const actionLabels = ((Array.isArray(actions) ? actions : actions?.items ?? [])).map((i) => i.label);
    for (const a of ['rollback', 'deploy', 'checkpoint', 'notify']) assert.ok(actionLabels.includes(a), a);
  });

  test('hover on a version shows its advisory status; on a field, its docs', async () => {
    const version = await s.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: at('2.14.1', 1) });
    assert.match(JSON.stringify(version?.contents), /GHSA-jfh8-c2jp-5v3q/);
    assert.match(JSON.stringify(version?.contents), /CVE-2021-44228/);
    const field = await s.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: at('    to: 2.12.2', 5) });
    assert.match(JSON.stringify(field?.contents), /roll back to/i);
  });

  test('definition of a step reference is the step id; references list every use', async () => {
    const def = (await s.client.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: at('requires: [gate]', 12) })) as Location[];
    assert.equal(def.length, 1);
    assert.deepEqual(def[0]!.range.start, at('gate'));
    const refs = (await s.client.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: at('gate'), context: { includeDeclaration: true } })) as Location[];
    assert.deepEqual(refs.map(textOf), ['gate', 'gate']);
    const serviceDef = (await s.client.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: at('service: search', 10) })) as Location[];
    assert.deepEqual(serviceDef[0]!.range.start, at('search:'));
  });

  test('rename a step updates its id and its references, as a versioned edit', async () => {
    const prepared = await s.client.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position: at('gate', 1) });
    assert.ok(prepared && 'placeholder' in prepared && prepared.placeholder === 'gate');
    const edit = (await s.client.sendRequest(RenameRequest.type, { textDocument: { uri }, position: at('gate', 1), newName: 'security-gate' })) as WorkspaceEdit;
    const change = edit.documentChanges![0] as TextDocumentEdit;
    assert.equal(change.textDocument.version, 1);
    const renamed = TextDocument.applyEdits(doc, change.edits as TextEdit[]);
    assert.match(renamed, /- id: security-gate\n/);
    assert.match(renamed, /requires: \[security-gate\]/);
  });

  test('rename to an invalid id is refused with the reason', async () => {
    await assert.rejects(
      s.client.sendRequest(RenameRequest.type, { textDocument: { uri }, position: at('gate', 1), newName: 'Security Gate' }),
      (e: Error) => /kebab-case/.test(e.message),
    );
  });

  test('document symbols list the steps with their actions', async () => {
    const symbols = (await s.client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    const steps = symbols.find((x) => x.name === 'steps')!;
    assert.deepEqual(steps.children!.map((c) => c.name), ['gate', 'roll-back', 'tell', 'review']);
    assert.match(steps.children![1]!.detail!, /rollback search → 2\.12\.2/);
  });

  test('code lens shows which checkpoint guards the risky step', async () => {
    const lenses = (await s.client.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
    const titles = lenses.map((l) => l.command?.title);
    assert.ok(titles.includes("guarded by 'gate' (in 'requires')") || titles.includes("guarded by 'gate'"), titles.join(' | '));
    const guard = lenses.find((l) => l.command?.title.startsWith('guarded by'))!;
    assert.equal(guard.command!.command, 'playbook.revealRange');
    assert.equal(guard.command!.arguments![0], uri);
  });

  test('code lenses over a PB102 and a PB106 finding open the flow view on that finding, in plain text', async () => {
    const text = `playbook: break-glass
title: Break-glass access
owners: { sre: "@sre", security: "@sec" }
channels: { security: "#sec" }
steps:
  - id: gate
    action: checkpoint
    kind: access-review
  - id: grant-admin
    action: access-grant
    principal: "@alice"
    role: admin
    duration: 1h
  - id: fix
    action: run
    command: ./fix.sh
`;
    const grantUri = await s.open('grant.playbook.yaml', text);
    const lenses = (await s.client.sendRequest(CodeLensRequest.type, { textDocument: { uri: grantUri } })) ?? [];
    const links = lenses.filter((l) => l.command?.command === 'playbook.showFlow');
    // The grant's line (8): PB100's verdict comes first, then the links, each naming its rule and the grant's step (index 1).
    assert.deepEqual(links.map((l) => [l.range.start.line, l.command!.title, l.command!.arguments]), [
      [8, 'security not notified on every path: show the paths', [grantUri, { ruleId: 'PB102', step: 1 }]],
      [8, 'access not revoked on every path: show the paths', [grantUri, { ruleId: 'PB106', step: 1 }]],
    ]);
    assert.deepEqual(lenses.filter((l) => l.range.start.line === 8).map((l) => l.command?.title), ["guarded by 'gate'", ...links.map((l) => l.command!.title)]);
    await s.close(grantUri);
  });

  test('an advisory published by security re-flags the open playbook at once', async () => {
    const version = await s.change(uri, PLAYBOOK.replace('to: 2.12.2', 'to: 2.14.1'));
    await s.diagnostics(uri, (d) => d.some((x) => x.code === 'PB101'), version);
    const affected = PLAYBOOK.replace('to: 2.12.2', 'to: 2.17.1');
    const v2 = await s.change(uri, affected);
    assert.deepEqual((await s.diagnostics(uri, () => true, v2)).filter((d) => d.code === 'PB101'), []);
    // Security publishes a record that flags 2.17.1 too.
    const record = JSON.parse(LOG4SHELL);
    record.id = 'GHSA-test-2171';
    record.aliases = [];
    record.affected = [{ package: { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.17.0' }, { fixed: '2.17.2' }] }] }];
    s.writeFile('.playbooks/advisories/GHSA-test-2171.json', JSON.stringify(record));
    await s.filesChanged([{ uri: s.uri('.playbooks/advisories/GHSA-test-2171.json'), type: FileChangeType.Created }]);
    const flagged = await s.diagnostics(uri, (d) => d.some((x) => x.code === 'PB101' && String(x.message).includes('GHSA-test-2171')));
    assert.equal(flagged.find((d) => d.code === 'PB101')!.range.start.line, 19);
  });

  test('the status notification says how many advisory records are loaded', async () => {
    const status = [...s.notifications].reverse().find((n) => n.method === 'playbook/advisoryStatus')?.params as { records: number; sources: string[] };
    assert.equal(status.records, 2);
    assert.match(status.sources[0]!, /\.playbooks\/advisories: 2 records/);
  });

  test('Check Workspace checks closed playbooks too and publishes their diagnostics', async () => {
    s.writeFile('team/closed.playbook.yaml', 'playbook: closed\ntitle: t\nowners:\n  sre: a\nsteps:\n  - id: a\n    action: postmortem\n');
    const result = await s.client.sendRequest(checkWorkspaceRequest);
    assert.deepEqual({ files: result.files, errors: result.errors >= 1 }, { files: 2, errors: true });
    const closed = await s.diagnostics(s.uri('team/closed.playbook.yaml'), (d) => d.length > 0);
    assert.ok(closed.some((d) => d.code === 'PB103'));
  });
});
