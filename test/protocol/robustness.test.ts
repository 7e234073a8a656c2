/**
 * The server keeps serving: a handler that throws is logged and answered, a load that failed is
 * tried again at the next request, and the policy's snippets are read once per load.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CompletionRequest, FileChangeType, HoverRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AdvisoryStore, type SourceRef } from '../../server/src/node/advisoryStore.js';
import { checkWorkspaceRequest, dryRunRequest } from '../../server/src/shared/protocol.js';
import { PULL_CAPABILITIES, startSession, type Session, type SessionOptions } from './harness.js';

const LOG4SHELL = readFileSync(path.join(__dirname, '../fixtures/osv/GHSA-jfh8-c2jp-5v3q.json'), 'utf8');

/** Rolls log4j back to 2.14.1, which GHSA-jfh8-c2jp-5v3q affects (PB101) once the record is loaded. */
const VULNERABLE = `playbook: search-outage
title: Search is down
owners:
  sre: "@search-sre"
  security: "@secops"
services:
  search:
    package: pkg:maven/org.apache.logging.log4j/log4j-core
    current: 2.17.1
    releases: [2.14.1, 2.17.1]
channels:
  security: "#sec"
steps:
  - id: gate
    action: checkpoint
    kind: security-review
  - id: roll-back
    action: rollback
    service: search
    to: 2.14.1
    requires: [gate]
  - id: tell
    action: notify
    channel: security
  - id: review
    action: postmortem
`;

/** The real store, whose loads throw while `failing` is set: an exception in loading, as a bug or a failing disk would raise it. */
class FailingStore extends AdvisoryStore {
  failing = true;
  constructor() {
    super({}, { cacheDir: null, workers: 0 });
  }
  override load(sources: readonly SourceRef[], limits?: Parameters<AdvisoryStore['load']>[1]): ReturnType<AdvisoryStore['load']> {
    if (this.failing) return Promise.reject(new Error('the advisory volume is not mounted'));
    return super.load(sources, limits);
  }
}

const sessions: Session[] = [];
after(() => sessions.forEach((s) => s.dispose()));
async function session(options: SessionOptions): Promise<Session> {
  const s = await startSession(options);
  sessions.push(s);
  return s;
}

const logged = (s: Session, pattern: RegExp): boolean =>
  s.notifications.some((n) => n.method === 'window/logMessage' && pattern.test((n.params as { message: string }).message));

describe('a handler that throws is logged and answered, and the server keeps serving', () => {
  test('Check Workspace: an error answer (never a count of zero), a log line, and the next run loads again', async () => {
    const store = new FailingStore();
    const s = await session({ advisoryStore: store, files: { 'a.playbook.yaml': VULNERABLE } });
    await assert.rejects(s.client.sendRequest(checkWorkspaceRequest), (e: Error) => /^Check Workspace failed; the Incident Playbooks log says why$/.test(e.message));
    assert.ok(logged(s, /checkWorkspace failed: .*the advisory volume is not mounted/), 'the reason is in the log');
    // The volume is back: no file changed, and nothing else tells the server.
    store.failing = false;
    const result = await s.client.sendRequest(checkWorkspaceRequest);
    assert.equal(result.files, 1);
  });

  test('dry-run: parameters of the wrong shape get an error answer and a log line; the next dry-run works', async () => {
    const s = await session({ files: { 'a.playbook.yaml': VULNERABLE } });
    const uri = await s.open('a.playbook.yaml');
    await assert.rejects(
      s.client.sendRequest(dryRunRequest, { uri, fail: 5 as unknown as string[], deny: [] }),
      (e: Error) => /^The dry-run failed; the Incident Playbooks log says why$/.test(e.message),
    );
    assert.ok(logged(s, /^dryRun failed: /), 'the exception is in the log');
    const run = await s.client.sendRequest(dryRunRequest, { uri, fail: [], deny: [] });
    assert.ok(run.markdown.length > 0, 'the server still rehearses');
  });

  test('a client that cannot report workspace folder changes still gets the start-up load and status', async () => {
    const s = await session({ capabilities: { workspace: { configuration: true } }, files: { '.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB105: loud\n' } });
    await s.until(() => s.shown(s.uri('.playbooks/policy.yaml')).some((d) => d.code === 'PB002'), 'the invalid policy reported at start-up');
    assert.ok(!logged(s, /failed/), 'nothing failed');
  });
});

describe('start-up', () => {
  test('workspace folders the server cannot use (a malformed URI, another scheme) are left out, with a log line; the others are served', async () => {
    const s = await session({ folderUris: ['a b:c', 'vscode-vfs://github/acme/playbooks'], files: { '.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB105: loud\n' } });
    assert.ok(s.initialize.capabilities.hoverProvider, 'the server started');
    assert.ok(logged(s, /the workspace folder "a b:c" is not a file: URI/));
    assert.ok(logged(s, /vscode-vfs:\/\/github\/acme\/playbooks/));
    await s.until(() => s.shown(s.uri('.playbooks/policy.yaml')).some((d) => d.code === 'PB002'), 'the folder that is a file: URI is served');
  });
});

describe('a failed load is not kept: the next request loads again, with no document change', () => {
  test('an exception while loading the advisories', async () => {
    const store = new FailingStore();
    const s = await session({ advisoryStore: store, capabilities: PULL_CAPABILITIES, files: { '.playbooks/policy.yaml': 'policy: 1\nadvisories: [advisories]\nadvisories-max-age: 999999d\n', '.playbooks/advisories/GHSA-jfh8-c2jp-5v3q.json': LOG4SHELL, 'a.playbook.yaml': VULNERABLE } });
    const uri = await s.open('a.playbook.yaml');
    assert.deepEqual(await s.pull(uri), [], 'no check while the load fails');
    assert.ok(logged(s, /the advisory volume is not mounted/), 'the failure is in the log');
    store.failing = false;
    const codes = (await s.pull(uri)).map((d: Diagnostic) => d.code);
    assert.deepEqual(codes, ['PB101']);
  });

  test('an advisory folder that was not there: found at the next request once it is', async () => {
    // The folder lies outside .playbooks/, where no file watcher looks.
    const s = await session({ capabilities: PULL_CAPABILITIES, files: { '.playbooks/policy.yaml': 'policy: 1\nadvisories: [../feeds]\n', 'a.playbook.yaml': VULNERABLE } });
    const uri = await s.open('a.playbook.yaml');
    assert.ok(!(await s.pull(uri)).some((d) => d.code === 'PB101'), 'no records yet');
    s.writeFile('feeds/GHSA-jfh8-c2jp-5v3q.json', LOG4SHELL);
    assert.ok((await s.pull(uri)).some((d) => d.code === 'PB101'), 'the record is read at the next request');
  });

  test('the same, asked through hover (pushing client)', async () => {
    const s = await session({ files: { '.playbooks/policy.yaml': 'policy: 1\nadvisories: [../feeds]\n', 'a.playbook.yaml': VULNERABLE } });
    const uri = await s.open('a.playbook.yaml');
    await s.diagnostics(uri, () => true, 1);
    const position = TextDocument.create(uri, 'yaml', 1, VULNERABLE).positionAt(VULNERABLE.indexOf('to: 2.14.1') + 5);
    const before = await s.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    assert.doesNotMatch(JSON.stringify(before?.contents ?? ''), /GHSA-jfh8-c2jp-5v3q/);
    s.writeFile('feeds/GHSA-jfh8-c2jp-5v3q.json', LOG4SHELL);
    const after = await s.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    assert.match(JSON.stringify(after?.contents ?? ''), /GHSA-jfh8-c2jp-5v3q/);
  });

  test('a policy file that could not be read: read again at the next request', async () => {
    // A link to a policy that is not there yet (a volume not mounted): reported, and the defaults apply meanwhile.
    const s = await session({ capabilities: PULL_CAPABILITIES, files: { 'a.playbook.yaml': VULNERABLE.replace('  - id: review\n    action: postmortem\n', '') } });
    (await import('node:fs')).mkdirSync(path.join(s.root, '.playbooks'));
    (await import('node:fs')).symlinkSync(path.join(s.root, 'shared-policy.yaml'), path.join(s.root, '.playbooks/policy.yaml'));
    await s.filesChanged([{ uri: s.uri('.playbooks/policy.yaml'), type: FileChangeType.Created }]);
    const uri = await s.open('a.playbook.yaml');
    assert.ok((await s.pull(uri)).some((d) => d.code === 'PB107'), 'the defaults apply: PB107 is on');
    await s.until(() => s.shown(s.uri('.playbooks/policy.yaml')).some((d) => /cannot be read/.test(String(d.message))), 'the unreadable policy reported');
    // The link's target appears outside .playbooks/: no watcher event says so.
    s.writeFile('shared-policy.yaml', 'policy: 1\nrules:\n  PB107: off\n');
    assert.ok(!(await s.pull(uri)).some((d) => d.code === 'PB107'), 'the policy applies now: PB107 is off');
    await s.until(() => s.shown(s.uri('.playbooks/policy.yaml')).length === 0, 'the policy\'s finding cleared');
  });
});

describe('the policy\'s snippets', () => {
  const snippetFile = (prefix: string): string => JSON.stringify({ 'Page security': { prefix, body: ['- id: page-security', '  action: notify', '  channel: security'], description: 'Tell security.' } });
  const text = `${VULNERABLE}  `;

  test('are read once, and again after a change under .playbooks/ is reported', async () => {
    const s = await session({ files: { '.playbooks/policy.yaml': 'policy: 1\nsnippets: snippets\n', '.playbooks/snippets/team.code-snippets': snippetFile('page-security'), 'a.playbook.yaml': text } });
    const uri = await s.open('a.playbook.yaml');
    const position = TextDocument.create(uri, 'yaml', 1, text).positionAt(text.length);
    const labels = async (): Promise<string[]> => {
      const list = await s.client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
      return ((Array.isArray(list) ? list : list?.items ?? [])).filter((i) => i.kind === 15).map((i) => i.label);
    };
    // The team's snippets first, then the shipped ones.
    const shipped = ['rollback-gated', 'break-glass', 'checkpoint-security', 'evidence', 'postmortem'];
    assert.deepEqual(await labels(), ['page-security', ...shipped]);
    // Changed on disk, and no watcher event yet: the snippets in memory answer (the file is not read per request).
    s.writeFile('.playbooks/snippets/team.code-snippets', snippetFile('page-security-v2'));
    assert.deepEqual(await labels(), ['page-security', ...shipped]);
    await s.filesChanged([{ uri: s.uri('.playbooks/snippets/team.code-snippets'), type: FileChangeType.Changed }]);
    assert.deepEqual(await labels(), ['page-security-v2', ...shipped]);
  });
});
