/**
 * After Check Workspace, one file has one set of diagnostics, whether the client pushes or pulls,
 * through open, close and open again, and whatever URI spells the file.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { FileChangeType, type ClientCapabilities, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { checkPlaybook } from '../../server/src/core/check.js';
import { checkWorkspaceRequest } from '../../server/src/shared/protocol.js';
import { PULL_CAPABILITIES, PUSH_CAPABILITIES, startSession, type Session, type SessionOptions } from './harness.js';
import { plainText } from '../../server/src/core/util/plainText.js';

// Four findings: no security owner (PB103), a rollback with no checkpoint (PB100, PB102), no postmortem (PB107).
const TEXT = `playbook: api-outage
title: API outage
owners:
  sre: "@sre"
services:
  api:
    current: 2.0.0
    releases: [1.9.0, 2.0.0]
steps:
  - id: roll-back
    action: rollback
    service: api
    to: 1.9.0
`;
/** The same playbook with an unsaved edit: a step that names an unknown step (PB004). */
const EDITED = TEXT.replace('    to: 1.9.0\n', '    to: 1.9.0\n    next: nowhere\n');

const MODES: Array<[string, ClientCapabilities]> = [['push', PUSH_CAPABILITIES], ['pull', PULL_CAPABILITIES]];

const sessions: Session[] = [];
after(() => sessions.forEach((s) => s.dispose()));
async function session(options: SessionOptions): Promise<Session> {
  const s = await startSession(options);
  sessions.push(s);
  return s;
}

/** A finding as the editor lists it: rule, line, column, message. */
const row = (d: Diagnostic): string => `${d.code}@${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`;
const rows = (diagnostics: Diagnostic[]): string[] => diagnostics.map(row).sort();
function expectedRows(text: string): string[] {
  const doc = TextDocument.create('file:///x', 'yaml', 1, text);
  return checkPlaybook(text).findings.map((f) => `${f.ruleId}@${doc.positionAt(f.range.start).line + 1}:${doc.positionAt(f.range.start).character + 1} ${plainText(f.message)}`).sort();
}

/** What the editor shows for the file under every spelling given. */
function shownFor(s: Session, ...uris: string[]): string[] {
  return rows(uris.flatMap((u) => s.shown(u)));
}

/** Waits until the server has answered for a document just opened or changed (its push, or the client's pull). */
async function settle(s: Session, mode: string, uri: string, version = 1): Promise<void> {
  if (mode === 'pull') await s.pull(uri);
  else await s.diagnostics(uri, () => true, version);
}

describe('Check Workspace, then open, close and open again: each finding once', () => {
  for (const [mode, capabilities] of MODES) {
    test(`${mode}: a file checked while closed, then opened, closed and reopened`, async () => {
      const s = await session({ files: { 'team/api.playbook.yaml': TEXT }, capabilities });
      const uri = s.uri('team/api.playbook.yaml');
      const expected = expectedRows(TEXT);
      assert.equal(expected.length, 4);

      await s.client.sendRequest(checkWorkspaceRequest);
      assert.deepEqual(shownFor(s, uri), expected, 'after Check Workspace');

      await s.open('team/api.playbook.yaml');
      await settle(s, mode, uri);
      assert.deepEqual(shownFor(s, uri), expected, 'opened after Check Workspace');

      const mark = s.published.length;
      await s.close(uri);
      // A checked file keeps its findings in Problems when its tab is closed, as after Check Workspace.
      await s.until(() => s.published.slice(mark).some((p) => p.uri === uri), 'the closed file\'s diagnostics');
      assert.deepEqual(shownFor(s, uri), expected, 'closed again');

      await s.open('team/api.playbook.yaml');
      await settle(s, mode, uri);
      assert.deepEqual(shownFor(s, uri), expected, 'reopened');
    });

    test(`${mode}: Check Workspace while the file is open with unsaved edits shows the editor's findings, once`, async () => {
      const s = await session({ files: { 'api.playbook.yaml': TEXT }, capabilities });
      const uri = await s.open('api.playbook.yaml');
      await settle(s, mode, uri);
      const version = await s.change(uri, EDITED);
      await settle(s, mode, uri, version);
      await s.client.sendRequest(checkWorkspaceRequest);
      if (mode === 'pull') await s.pull(uri);
      assert.deepEqual(shownFor(s, uri), expectedRows(EDITED));
    });

    test(`${mode}: a file opened under an encoded URI is the same file as the one Check Workspace found`, async () => {
      const s = await session({ files: { 'team/api.playbook.yaml': TEXT }, capabilities });
      const plain = s.uri('team/api.playbook.yaml');
      // `%61` is `a`: another spelling of the same path, as some clients send it.
      const encoded = plain.replace('/api.playbook.yaml', '/%61pi.playbook.yaml');
      assert.notEqual(encoded, plain);
      assert.equal(URI.parse(encoded).fsPath, URI.parse(plain).fsPath);

      await s.client.sendRequest(checkWorkspaceRequest);
      await s.open('team/api.playbook.yaml', EDITED, 'incident-playbook', encoded);
      await settle(s, mode, encoded);
      assert.deepEqual(shownFor(s, plain), expectedRows(EDITED), 'opened: the editor\'s text, once');

      // Checking again while it is open: the open document's findings are the ones shown.
      await s.client.sendRequest(checkWorkspaceRequest);
      if (mode === 'pull') await s.pull(encoded);
      assert.deepEqual(shownFor(s, plain), expectedRows(EDITED), 'Check Workspace while open');
    });

    test(`${mode}: a file opened through a linked folder is the same file as the one Check Workspace found`, async () => {
      const s = await session({ files: { 'real/api.playbook.yaml': TEXT }, capabilities });
      symlinkSync(path.join(s.root, 'real'), path.join(s.root, 'linked'), 'dir');
      const real = s.uri('real/api.playbook.yaml');
      const linked = s.uri('linked/api.playbook.yaml');
      const result = await s.client.sendRequest(checkWorkspaceRequest);
      assert.equal(result.files, 1, 'one file, however many paths reach it');
      assert.deepEqual(shownFor(s, real, linked), expectedRows(TEXT), 'after Check Workspace');

      await s.open('linked/api.playbook.yaml', EDITED);
      await settle(s, mode, linked);
      assert.deepEqual(shownFor(s, real, linked), expectedRows(EDITED), 'opened through the link');
    });
  }
});

describe('the findings of closed files follow the policy', () => {
  for (const [mode, capabilities] of MODES) {
    test(`${mode}: a policy written after Check Workspace re-checks the closed files it covered`, async () => {
      const s = await session({ files: { 'api.playbook.yaml': TEXT }, capabilities });
      const uri = s.uri('api.playbook.yaml');
      await s.client.sendRequest(checkWorkspaceRequest);
      assert.ok(s.shown(uri).some((d) => d.code === 'PB107'));
      s.writeFile('.playbooks/policy.yaml', 'policy: 1\nrules:\n  PB107: off\n  PB103: info\n');
      await s.filesChanged([{ uri: s.uri('.playbooks/policy.yaml'), type: FileChangeType.Created }]);
      await s.until(() => !s.shown(uri).some((d) => d.code === 'PB107'), 'PB107 gone from the closed file');
      assert.deepEqual(s.shown(uri).filter((d) => d.code === 'PB103').map((d) => d.severity), [3], 'PB103 shown as info, once');
    });
  }
});

describe('Check Workspace counts each file once', () => {
  test('nested workspace folders and a linked folder do not count a playbook twice', async () => {
    const s = await session({ files: { 'team/api.playbook.yaml': TEXT, 'team/sub/other.playbook.yaml': TEXT.replace('api-outage', 'other') }, folders: ['.', 'team'] });
    mkdirSync(path.join(s.root, 'links'));
    symlinkSync(path.join(s.root, 'team', 'sub'), path.join(s.root, 'links', 'sub'), 'dir');
    const result = await s.client.sendRequest(checkWorkspaceRequest);
    const findings = checkPlaybook(TEXT).findings;
    const count = (severity: string): number => 2 * findings.filter((f) => f.severity === severity).length;
    assert.deepEqual(result, { files: 2, errors: count('error'), warnings: count('warning'), infos: count('info'), unreadable: [] });
  });

  test('a file deleted since the last Check Workspace loses its diagnostics at the next one', async () => {
    const s = await session({ files: { 'a.playbook.yaml': TEXT, 'b.playbook.yaml': TEXT } });
    await s.client.sendRequest(checkWorkspaceRequest);
    const b = s.uri('b.playbook.yaml');
    assert.equal(s.shown(b).length, 4);
    (await import('node:fs')).rmSync(path.join(s.root, 'b.playbook.yaml'));
    const result = await s.client.sendRequest(checkWorkspaceRequest);
    assert.equal(result.files, 1);
    assert.deepEqual(s.shown(b), [], 'no findings for a file that is gone');
  });
});

describe('the advisory status counts each problem once', () => {
  test('two workspace folders sharing an extra advisory folder with a broken record: one problem, one source', async () => {
    const t = await session({
      files: { 'a/x.playbook.yaml': TEXT, 'b/y.playbook.yaml': TEXT, 'shared/broken.json': '{ not json' },
      folders: ['a', 'b'],
      settings: { advisories: { extraPaths: ['../shared'] } },
    });
    const status = (): { records: number; sources: string[]; problems: number } | undefined =>
      [...t.notifications].reverse().find((n) => n.method === 'playbook/advisoryStatus')?.params as never;
    await t.until(() => (status()?.problems ?? 0) > 0, 'the status with the broken record');
    await t.open('a/x.playbook.yaml');
    await t.open('b/y.playbook.yaml');
    await t.diagnostics(t.uri('b/y.playbook.yaml'), () => true, 1);
    assert.equal(status()!.problems, 1, JSON.stringify(status()));
    assert.equal(status()!.sources.filter((x) => x.includes('shared')).length, 1, JSON.stringify(status()));
  });
});
