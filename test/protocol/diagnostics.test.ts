import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CodeLensRequest, DiagnosticTag, DidChangeConfigurationNotification, DocumentDiagnosticRequest, DocumentSymbolRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkPlaybook } from '../../server/src/core/check.js';
import { playbook } from '../unit/helpers/findings.js';
import { PULL_CAPABILITIES, startSession, type Session } from './harness.js';
import { plainText } from '../../server/src/core/util/plainText.js';

const EXAMPLES = path.join(__dirname, '../../examples');
const example = (name: string): string => readFileSync(path.join(EXAMPLES, name), 'utf8');
const codes = (d: Diagnostic[]): string[] => d.map((x) => `${x.code}@${x.range.start.line + 1}`);

const sessions: Session[] = [];
after(() => sessions.forEach((s) => s.dispose()));
async function session(...args: Parameters<typeof startSession>): Promise<Session> {
  const s = await startSession(...args);
  sessions.push(s);
  return s;
}

/** The unguarded example opened as the server starts, while the client takes its time to give settings that turn PB100 off. */
async function openedWhileSettingsAreRead(options: { settingsDelayMs: number; server?: { settingsWaitMs: number } }): Promise<{ s: Session; uri: string }> {
  const s = await session({ files: { 'u.playbook.yaml': example('unguarded-rollback.playbook.yaml') }, settings: { rules: { PB100: 'off' } }, openAtStart: ['u.playbook.yaml'], ...options });
  return { s, uri: s.uri('u.playbook.yaml') };
}

describe('diagnostics (push)', () => {
  test('an example playbook gets its findings with code, link, source, ranges and related paths', async () => {
    const s = await session({ files: { 'unguarded-rollback.playbook.yaml': example('unguarded-rollback.playbook.yaml') } });
    const uri = await s.open('unguarded-rollback.playbook.yaml');
    const diagnostics = await s.diagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(codes(diagnostics), ['PB103@6', 'PB110@12', 'PB100@29', 'PB102@29']);
    const pb100 = diagnostics[2]!;
    assert.equal(pb100.source, 'playbook');
    assert.equal(pb100.severity, 1);
    // By default the rule's link opens its page shipped with the extension: a command link with the rule id.
    assert.equal(pb100.codeDescription!.href, `command:playbook.showRule?${encodeURIComponent('["PB100"]')}`);
    assert.deepEqual(pb100.range, { start: { line: 28, character: 12 }, end: { line: 28, character: 20 } });
    assert.match(pb100.relatedInformation![0]!.message, /no security checkpoint on this path/);
    assert.equal(pb100.relatedInformation![0]!.location.uri, uri);
  });

  test('a team that keeps its own rule pages: links follow playbook.ruleDocumentationUrl, and only a web address', async () => {
    for (const [setting, expected] of [
      ['https://wiki.example.com/playbook/{id}.html', 'https://wiki.example.com/playbook/PB100.html'],
      ['https://wiki.example.com/rules/', 'https://wiki.example.com/rules/PB100'],
      ['command:workbench.action.terminal.new', `command:playbook.showRule?${encodeURIComponent('["PB100"]')}`],
      ['file:///etc/passwd?{id}', `command:playbook.showRule?${encodeURIComponent('["PB100"]')}`],
    ] as const) {
      const s = await session({ files: { 'u.playbook.yaml': example('unguarded-rollback.playbook.yaml') }, settings: { ruleDocumentationUrl: setting } });
      const uri = await s.open('u.playbook.yaml');
      const diagnostics = await s.diagnostics(uri, (d) => d.some((x) => x.code === 'PB100'));
      assert.equal(diagnostics.find((x) => x.code === 'PB100')!.codeDescription!.href, expected, setting);
      s.dispose();
    }
  });

  test('a playbook opened while the server reads the settings is checked under them: a rule the user turned off never shows, not even at first', async () => {
    const { s, uri } = await openedWhileSettingsAreRead({ settingsDelayMs: 300 });
    const diagnostics = await s.diagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(codes(diagnostics), ['PB103@6', 'PB110@12', 'PB102@29']);
    await s.change(uri, example('unguarded-rollback.playbook.yaml').replace('title: ', 'title: (edited) '));
    await s.diagnostics(uri, (d) => d.length > 0, 2);
    const published = s.published.filter((p) => p.uri === uri);
    assert.ok(published.length >= 2);
    assert.deepEqual(published.filter((p) => p.diagnostics.some((d) => d.code === 'PB100')).map((p) => p.version), [], 'no publish held PB100');
  });

  test('settings the client is slow to give: the first check goes on with the defaults after a while, and the playbook is checked again once they come', async () => {
    const { uri, s } = await openedWhileSettingsAreRead({ settingsDelayMs: 600, server: { settingsWaitMs: 200 } });
    // Checked after the wait (2 s in the editor, 200 ms here), under the defaults; then again once the settings are in.
    await s.diagnostics(uri, (d) => d.some((x) => x.code === 'PB100'));
    await s.diagnostics(uri, (d) => d.length > 0 && !d.some((x) => x.code === 'PB100'));
  });

  test('the client saying the settings changed when they did not re-checks nothing; a real change re-checks once', async () => {
    const settings: { rules: Record<string, string> } = { rules: {} };
    const s = await session({ files: { 'u.playbook.yaml': example('unguarded-rollback.playbook.yaml') }, settings, capabilities: PULL_CAPABILITIES });
    const uri = await s.open('u.playbook.yaml');
    assert.ok((await s.pull(uri)).some((x) => x.code === 'PB100'));
    const before = { refreshes: s.refreshRequests(), reads: s.configurationReads() };
    // What VS Code's client sends at start-up: a change, with the settings as they were.
    await s.client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await s.until(() => s.configurationReads() === before.reads + 1, 'the server to read the settings again');
    settings.rules = { PB100: 'off' };
    await s.client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await s.until(() => s.configurationReads() === before.reads + 2, 'the server to read the changed settings');
    // The server asks for a pull as it takes the settings, before it answers a pull sent after them.
    assert.ok(!(await s.pull(uri)).some((x) => x.code === 'PB100'));
    assert.equal(s.refreshRequests(), before.refreshes + 1, 'one refresh: the real change\'s');
  });

  test('an unreachable step is tagged Unnecessary', async () => {
    const s = await session();
    const uri = await s.open('u.playbook.yaml', playbook('  - id: a\n    action: diagnose\n    run: x\n    next: review\n  - id: orphan\n    action: diagnose\n    run: y\n'));
    const [d] = await s.diagnostics(uri, (x) => x.length > 0);
    assert.equal(d!.code, 'PB006');
    assert.deepEqual(d!.tags, [DiagnosticTag.Unnecessary]);
  });

  test('typing updates diagnostics, and only the newest version is published last', async () => {
    const s = await session();
    const clean = playbook('  - id: a\n    action: diagnose\n    run: x\n');
    const uri = await s.open('t.playbook.yaml', clean);
    assert.deepEqual(await s.diagnostics(uri), []);
    let version = 1;
    for (const ch of 'diagnos') version = await s.change(uri, clean.replace('action: diagnose', `action: ${'diagnose'.slice(0, 'diagnose'.indexOf(ch) + 1)}x`));
    const final = await s.change(uri, clean.replace('action: diagnose', 'action: rolback'));
    const diagnostics = await s.diagnostics(uri, (d) => d.some((x) => String(x.message).includes('rolback')), final);
    assert.deepEqual(codes(diagnostics), ['PB002@16']);
    const versions = s.published.filter((p) => p.uri === uri).map((p) => p.version ?? 0);
    assert.ok(versions.every((v, i) => i === 0 || v >= versions[i - 1]!), `versions never go back: ${versions}`);
    assert.ok(version < final);
  });

  test('edits inside one step (re-parsed alone) and elsewhere give what a fresh check of the text gives', async () => {
    const s = await session();
    const steps = ['  - id: look\n    action: diagnose\n    run: kubectl get pods\n', '  - id: gate\n    action: checkpoint\n    kind: security-review\n    approvers: [security]\n', '  - id: roll\n    action: rollback\n    service: api\n    to: 1.1.0\n    requires: [gate]\n', '  - id: tell\n    action: notify\n    channel: security\n    message: rolled back\n', '  - id: review\n    action: postmortem\n    due: 48h\n'];
    let text = playbook(steps.join(''));
    const uri = await s.open('edits.playbook.yaml', text);
    await s.diagnostics(uri);
    const edits: Array<[string, string]> = [
      ['requires: [gate]', 'requires: [gat]'], // PB004 in a middle step
      ['requires: [gat]', 'requires: [gate]'],
      ['run: kubectl get pods', 'run: kubectl get pods # token=ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5'], // PB104 in the first step
      ['message: rolled back', 'message: rolled back\n    password: hunter2'], // a line added to a step
      ['  - id: tell\n', '  - id: extra\n    action: rollback\n    service: api\n    to: 1.0.0\n  - id: tell\n'], // a new step: a full parse
      ['title: Demo incident', 'title: Demo'], // the header: a full parse
      ['to: 1.0.0', 'to: 9.9.9'], // PB108 in the new step, re-parsed alone again
    ];
    for (const [from, to] of edits) {
      assert.ok(text.includes(from), from);
      text = text.replace(from, to);
      const version = await s.change(uri, text);
      const expected = checkPlaybook(text).findings;
      const doc = TextDocument.create(uri, 'incident-playbook', version, text);
      const diagnostics = await s.diagnostics(uri, (d) => d.length === expected.length, version);
      assert.deepEqual(diagnostics.map((d) => [d.code, d.range, d.message]), expected.map((f) => [f.ruleId, { start: doc.positionAt(f.range.start), end: doc.positionAt(f.range.end) }, plainText(f.message)]), `after \`${to}\``);
    }
  });

  test('closing a document clears its diagnostics', async () => {
    const s = await session();
    const uri = await s.open('c.playbook.yaml', 'playbook: x\n');
    await s.diagnostics(uri, (d) => d.length > 0);
    await s.close(uri);
    await s.diagnostics(uri, (d) => d.length === 0);
  });

  test('bad input never crashes the server: binary-looking text, a list, an alias bomb', async () => {
    const s = await session();
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x,x]', ...Array.from({ length: 7 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');
    for (const [name, text, rule] of [['bin.playbook.yaml', 'a: \u0000\u0001', 'PB001'], ['list.playbook.yaml', '- a\n- b\n', 'PB002'], ['bomb.playbook.yaml', bomb, 'PB008']] as const) {
      const uri = await s.open(name, text);
      const d = await s.diagnostics(uri, (x) => x.length > 0);
      assert.ok(d.some((x) => x.code === rule), `${name}: ${codes(d)}`);
    }
    const uri = await s.open('after.playbook.yaml', 'playbook: still-alive\n');
    assert.ok((await s.diagnostics(uri, (x) => x.length > 0)).length > 0, 'the server still answers');
  });
});

describe('diagnostics (pull)', () => {
  test('a client that supports pull diagnostics asks for them and gets the same findings', async () => {
    const s = await session({ files: { 'unguarded-rollback.playbook.yaml': example('unguarded-rollback.playbook.yaml') }, capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { configuration: true } } });
    assert.ok(s.initialize.capabilities.diagnosticProvider, 'the server offers pull diagnostics');
    const uri = await s.open('unguarded-rollback.playbook.yaml');
    const report = await s.client.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    assert.deepEqual(codes((report as { items: Diagnostic[] }).items), ['PB103@6', 'PB110@12', 'PB100@29', 'PB102@29']);
    assert.equal(s.published.filter((p) => p.uri === uri).length, 0, 'nothing is pushed in pull mode');
  });

  test('on an open, the findings are answered before the outline and the code lenses VS Code asks for first', async () => {
    const s = await session({ files: { 'unguarded-rollback.playbook.yaml': example('unguarded-rollback.playbook.yaml') }, capabilities: PULL_CAPABILITIES });
    const uri = await s.open('unguarded-rollback.playbook.yaml');
    // VS Code's order: the outline (and breadcrumbs) and the lenses are asked for before the diagnostics.
    const answered: string[] = [];
    const asked = [
      s.client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }).then((r) => answered.push(`symbols ${r?.length}`)),
      s.client.sendRequest(CodeLensRequest.type, { textDocument: { uri } }).then((r) => answered.push(`lenses ${r?.length ?? 0}`)),
      s.client.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }).then((r) => answered.push(`diagnostics ${r.kind === 'full' ? r.items.length : '-'}`)),
    ];
    await Promise.all(asked);
    assert.deepEqual(answered, ['diagnostics 4', 'symbols 3', 'lenses 3']);
    // Later requests do not wait: the document's first findings are out.
    assert.equal((await s.client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }))?.length, 3);
  });

  test('a client that never pulls still gets the outline of an opened playbook', async () => {
    const s = await session({ files: { 'unguarded-rollback.playbook.yaml': example('unguarded-rollback.playbook.yaml') }, capabilities: PULL_CAPABILITIES });
    const uri = await s.open('unguarded-rollback.playbook.yaml');
    assert.equal((await s.client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }))?.length, 3);
  });
});
