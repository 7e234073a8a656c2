/**
 * No stale answer: a repeated version number with new text, a deleted policy file, a policy file
 * that holds binary data — each is shown for what it is now.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { CodeActionRequest, FileChangeType, type ClientCapabilities, type CodeAction, type Diagnostic, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkPlaybook } from '../../server/src/core/check.js';
import { PULL_CAPABILITIES, PUSH_CAPABILITIES, startSession, type Session, type SessionOptions } from './harness.js';
import { plainText } from '../../server/src/core/util/plainText.js';

const FIXES = path.join(__dirname, '../fixtures/fixes');
const BEFORE = readFileSync(path.join(FIXES, 'pb004-reference.before.playbook.yaml'), 'utf8');
const AFTER = readFileSync(path.join(FIXES, 'pb004-reference.after.playbook.yaml'), 'utf8');
const FIX_TITLE = "Change 'escalte' to 'escalate'";

const MODES: Array<[string, ClientCapabilities]> = [['push', PUSH_CAPABILITIES], ['pull', PULL_CAPABILITIES]];

const sessions: Session[] = [];
after(() => sessions.forEach((s) => s.dispose()));
async function session(options: SessionOptions): Promise<Session> {
  const s = await startSession(options);
  sessions.push(s);
  return s;
}

const rows = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.message}`).sort();
function expectedRows(text: string): string[] {
  const doc = TextDocument.create('file:///x', 'yaml', 1, text);
  return rows(checkPlaybook(text).findings.map((f) => ({
    code: f.ruleId, message: plainText(f.message), range: { start: doc.positionAt(f.range.start), end: doc.positionAt(f.range.end) },
  })));
}

describe('a client that sends one version number twice, with different text', () => {
  for (const [mode, capabilities] of MODES) {
    test(`${mode}: the diagnostics and the quick fix are the second text's`, async () => {
      const s = await session({ capabilities });
      const uri = await s.open('restart.playbook.yaml', BEFORE);
      // Version 2, then version 2 again with two lines added on top: every finding moves down two lines.
      const first = BEFORE.replace('on-failure: escalte', 'on-failure: escalte\n    title: Restart');
      const second = `# owned by the API team\n# reviewed quarterly\n${BEFORE}`;
      await s.change(uri, first, 2);
      if (mode === 'pull') assert.deepEqual(rows(await s.pull(uri)), expectedRows(first));
      else await s.diagnostics(uri, (d) => JSON.stringify(rows(d)) === JSON.stringify(expectedRows(first)), 2);
      await s.change(uri, second, 2);
      const diagnostics = mode === 'pull'
        ? await s.pull(uri)
        : await s.diagnostics(uri, (d) => JSON.stringify(rows(d)) === JSON.stringify(expectedRows(second)), 2);
      assert.deepEqual(rows(diagnostics), expectedRows(second));

      const pb004 = diagnostics.find((d) => d.code === 'PB004')!;
      const actions = (await s.client.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: pb004.range, context: { diagnostics: [pb004] } })) as CodeAction[];
      const fix = actions.find((a) => a.title === FIX_TITLE);
      assert.ok(fix, `the server offers "${FIX_TITLE}": ${actions.map((a) => a.title).join(' | ')}`);
      const edit = (fix.edit!.documentChanges as TextDocumentEdit[])[0]!;
      const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 2, second), edit.edits as TextEdit[]);
      assert.equal(fixed, `# owned by the API team\n# reviewed quarterly\n${AFTER}`);
    });
  }
});

const INVALID_POLICY = 'policy: 1\nrules:\n  PB105: loud\n';
const PLAYBOOK = 'playbook: x\ntitle: t\nowners:\n  sre: a\n  security: b\nsteps:\n  - id: review\n    action: postmortem\n';

describe('a deleted policy file', () => {
  for (const [mode, capabilities] of MODES) {
    test(`${mode}: its diagnostics are cleared when the watcher reports it deleted`, async () => {
      const s = await session({ capabilities, files: { '.playbooks/policy.yaml': INVALID_POLICY, 'x.playbook.yaml': PLAYBOOK } });
      const policy = s.uri('.playbooks/policy.yaml');
      const uri = await s.open('x.playbook.yaml');
      if (mode === 'pull') await s.pull(uri);
      await s.until(() => s.shown(policy).some((d) => d.code === 'PB002'), 'the invalid policy\'s diagnostics');
      rmSync(path.join(s.root, '.playbooks/policy.yaml'));
      await s.filesChanged([{ uri: policy, type: FileChangeType.Deleted }]);
      await s.until(() => s.shown(policy).length === 0, 'the deleted policy\'s diagnostics cleared');
    });
  }

  test('with no playbook open: the invalid policy is reported, then cleared once deleted', async () => {
    const s = await session({ capabilities: PULL_CAPABILITIES, files: { 'team/.playbooks/policy.yaml': INVALID_POLICY, 'team/x.playbook.yaml': PLAYBOOK } });
    const policy = s.uri('team/.playbooks/policy.yaml');
    const uri = await s.open('team/x.playbook.yaml');
    await s.pull(uri);
    await s.until(() => s.shown(policy).length > 0, 'the invalid policy\'s diagnostics');
    await s.close(uri);
    rmSync(path.join(s.root, 'team/.playbooks/policy.yaml'));
    await s.filesChanged([{ uri: policy, type: FileChangeType.Deleted }]);
    await s.until(() => s.shown(policy).length === 0, 'the deleted policy\'s diagnostics cleared');
  });
});

describe('a policy file that holds binary data', () => {
  const cases: Array<[string, Uint8Array]> = [
    ['a NUL byte', Buffer.from('policy: 1\nrules:\n  PB107: off\n\u0000\u0000\u0000', 'utf8')],
    ['bytes that are not UTF-8', Buffer.concat([Buffer.from('policy: 1\nrules:\n  PB107: off\n# '), Buffer.from([0xff, 0xfe, 0xc3])])],
  ];
  for (const [name, bytes] of cases) {
    test(`${name}: the policy says it holds binary data, and the defaults apply to the playbook`, async () => {
      const s = await session({ files: { '.playbooks/policy.yaml': bytes, 'x.playbook.yaml': PLAYBOOK.replace('  - id: review\n    action: postmortem\n', '  - id: look\n    action: diagnose\n    run: uptime\n') } });
      const policy = s.uri('.playbooks/policy.yaml');
      const uri = await s.open('x.playbook.yaml');
      const diagnostics = await s.diagnostics(uri, (d) => d.length > 0);
      assert.ok(diagnostics.some((d) => d.code === 'PB107'), 'the policy did not apply: PB107 is still on');
      await s.until(() => s.shown(policy).length > 0, 'the binary policy\'s diagnostics');
      const [finding, ...rest] = s.shown(policy);
      assert.deepEqual(rest, []);
      assert.equal(finding!.code, 'PB001');
      assert.match(String(finding!.message), /^the policy file holds binary data, not YAML text/);
      assert.doesNotMatch(String(finding!.message), /playbook|empty/);
    });
  }

  for (const [mode, capabilities] of MODES) {
    test(`${mode}: a policy open in the editor, as the editor decoded its broken UTF-8, still says what the checks use`, async () => {
      const bytes = cases[1]![1];
      const s = await session({ capabilities, files: { '.playbooks/policy.yaml': bytes } });
      // An editor shows bytes that are not UTF-8 as U+FFFD: text that parses, though the file cannot apply.
      const policy = await s.open('.playbooks/policy.yaml', new TextDecoder().decode(bytes), 'yaml');
      const diagnostics = mode === 'pull' ? await s.pull(policy) : await s.diagnostics(policy, (d) => d.length > 0, 1);
      assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
      assert.match(String(diagnostics[0]!.message), /^the policy file holds binary data, not YAML text/);
    });

    test(`${mode}: a policy open in the editor whose text holds NUL characters says so`, async () => {
      const s = await session({ capabilities });
      const policy = await s.open('.playbooks/policy.yaml', 'policy: 1\nrules:\n  PB107: off\n# \u0000\u0001\n', 'yaml');
      const diagnostics = mode === 'pull' ? await s.pull(policy) : await s.diagnostics(policy, (d) => d.length > 0, 1);
      assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
      assert.match(String(diagnostics[0]!.message), /^the policy file holds binary data, not YAML text/);
    });
  }
});
