/**
 * "Playbook: Update Advisories" over the protocol: the server runs the same update as the CLI
 * against a real HTTP server on 127.0.0.1, with progress and cancellation, then loads the
 * advisories again and re-checks open playbooks; the advisory status says how old the data is, and
 * time passing alone brings PB110's age finding and the status bar's warning.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CancellationTokenSource, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { updateAdvisoriesRequest, type AdvisoryStatus } from '../../server/src/shared/protocol.js';
import { fixtureZip, NPM_IDS, startMirror, type OsvMirror } from '../cli/osvMirror.js';
import { startSession, type Session, type SessionOptions } from './harness.js';

for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) delete process.env[name];

const DAY = 24 * 60 * 60 * 1000;
const NPM_ZIP = fixtureZip(NPM_IDS);

/** Rolls lodash back to 4.17.20, which GHSA-35jh-r3h4-6jhm affects. */
const PLAYBOOK = `playbook: checkout
title: Checkout
owners:
  sre: "@sre"
  security: "@sec"
services:
  api:
    package: pkg:npm/lodash
    current: 4.17.21
    releases: [4.17.20, 4.17.21]
channels:
  security: "#sec"
steps:
  - id: gate
    action: checkpoint
    kind: security-review
  - id: roll-back
    action: rollback
    service: api
    to: 4.17.20
    requires: [gate]
  - id: tell
    action: notify
    channel: security
  - id: review
    action: postmortem
`;

let mirror: OsvMirror;
const sessions: Session[] = [];
before(async () => {
  mirror = await startMirror();
});
beforeEach(() => {
  mirror.requests.length = 0;
  mirror.route('npm', { kind: 'zip', body: NPM_ZIP });
});
after(async () => {
  sessions.forEach((s) => s.dispose());
  await mirror.close();
});

async function session(options: SessionOptions = {}): Promise<Session> {
  const s = await startSession({
    files: {
      // The default advisories source, `.playbooks/advisories`, loads the zips the update writes below it.
      '.playbooks/policy.yaml': `policy: 1\nadvisories-mirror: ${mirror.url}\n`,
      'checkout.playbook.yaml': PLAYBOOK,
    },
    ...options,
    server: { downloadTimeouts: { headersMs: 5_000, idleMs: 5_000 }, ...options.server },
  });
  sessions.push(s);
  return s;
}

const codes = (d: Diagnostic[]): string[] => d.map((x) => String(x.code));
const messageOf = (d: Diagnostic | undefined): string => (typeof d?.message === 'string' ? d.message : (d?.message.value ?? ''));
const statuses = (s: Session): AdvisoryStatus[] => s.notifications.filter((n) => n.method === 'playbook/advisoryStatus').map((n) => n.params as AdvisoryStatus);
const lastStatus = (s: Session): AdvisoryStatus => statuses(s).at(-1)!;
const zip = (s: Session): string => path.join(s.root, '.playbooks/advisories/osv/npm.zip');

describe('Update Advisories (the language server)', () => {
  test('fetches the workspace\'s ecosystems from the policy\'s mirror, with progress, then re-checks the open playbook against them', async () => {
    const s = await session();
    const progress: string[] = [];
    s.client.onNotification('$/progress', (p: { value: { kind: string; message?: string } }) => {
      progress.push(p.value.kind);
    });
    const uri = await s.open('checkout.playbook.yaml');
    const before = await s.diagnostics(uri, (d) => d.length > 0);
    assert.ok(codes(before).includes('PB110') && !codes(before).includes('PB101'), codes(before).join());

    const result = await s.client.sendRequest(updateAdvisoriesRequest, {});
    assert.deepEqual(result, { ecosystems: [{ folder: s.root, ecosystem: 'npm', file: '.playbooks/advisories/osv/npm.zip', outcome: 'updated' }], problems: [], cancelled: false });
    assert.deepEqual(readFileSync(zip(s)), Buffer.from(NPM_ZIP));
    assert.deepEqual(mirror.requests.map((r) => r.path), ['/npm/all.zip']);
    assert.equal(progress[0], 'begin');
    assert.equal(progress.at(-1), 'end');

    const after = await s.diagnostics(uri, (d) => codes(d).includes('PB101'));
    assert.ok(!codes(after).includes('PB110'), codes(after).join());
    await s.until(() => lastStatus(s).records === 3 && lastStatus(s).age?.basis === 'fetched', 'the status with the new records and their age');
    assert.deepEqual({ ...lastStatus(s).age, text: '' }, { text: '', stale: false, source: '.playbooks/advisories', basis: 'fetched', maxAge: '7d' });
  });

  test('with a progress token of the client\'s own, the progress is reported there', async () => {
    const s = await session();
    const seen: Array<{ kind: string; message?: string; percentage?: number }> = [];
    // The harness takes every $/progress notification itself (onProgress would never hear of them): read them there.
    s.client.onNotification('$/progress', (p: { token: string; value: { kind: string; message?: string; percentage?: number } }) => {
      if (p.token === 'update-1') seen.push(p.value);
    });
    const result = await s.client.sendRequest(updateAdvisoriesRequest, { workDoneToken: 'update-1' });
    assert.equal(result.ecosystems[0]!.outcome, 'updated');
    // Sent before the answer, on the same stream.
    assert.equal(seen.at(-1)?.kind, 'end');
    assert.equal(seen[0]!.kind, 'begin');
    assert.ok(seen.some((v) => v.kind === 'report' && /^npm: [\d.]+ KB of [\d.]+ KB$/.test(v.message ?? '') && v.percentage === 100), JSON.stringify(seen));
  });

  test('a failure is answered per ecosystem, and the previous data stays in use', async () => {
    const s = await session();
    await s.client.sendRequest(updateAdvisoriesRequest, {});
    const bytes = readFileSync(zip(s));
    mirror.route('npm', { kind: 'status', status: 500 });
    const uri = await s.open('checkout.playbook.yaml');
    const result = await s.client.sendRequest(updateAdvisoriesRequest, {});
    assert.deepEqual(result.ecosystems.map((e) => [e.ecosystem, e.outcome, e.problem]), [['npm', 'failed', 'the server answered HTTP 500 (Internal Server Error)']]);
    assert.deepEqual(readFileSync(zip(s)), bytes);
    assert.ok(codes(await s.diagnostics(uri, (d) => codes(d).includes('PB101'))).includes('PB101'));
  });

  test('cancelling stops the download: nothing is written, and the answer says it was cancelled', async () => {
    const s = await session({ server: { downloadTimeouts: { headersMs: 60_000, idleMs: 60_000 } } });
    mirror.route('npm', { kind: 'silent' });
    const source = new CancellationTokenSource();
    const answer = s.client.sendRequest(updateAdvisoriesRequest, {}, source.token);
    await mirror.received(1);
    source.cancel();
    const result = await answer;
    assert.equal(result.cancelled, true);
    assert.deepEqual(result.ecosystems.map((e) => [e.ecosystem, e.outcome, e.problem]), [['npm', 'failed', 'cancelled']]);
    assert.ok(!existsSync(zip(s)));
  });

  test('nothing to update is said, not done', async () => {
    const s = await session({ files: { '.playbooks/policy.yaml': `policy: 1\nadvisories-mirror: ${mirror.url}\n` } });
    const result = await s.client.sendRequest(updateAdvisoriesRequest, {});
    assert.deepEqual(result.ecosystems, []);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0]!, /nothing to update: no service has a package URL in the 0 playbooks/);
    assert.equal(mirror.requests.length, 0);
  });
});

describe('how old the advisories are, in the editor', () => {
  test('data fetched 12 days ago: PB110 on the playbook and a stale status', async () => {
    const s = await session();
    await s.client.sendRequest(updateAdvisoriesRequest, {});
    const record = path.join(s.root, '.playbooks/advisories/osv/npm.zip.fetch.json');
    writeFileSync(record, JSON.stringify({ ...JSON.parse(readFileSync(record, 'utf8')), fetchedAt: new Date(Date.now() - 12 * DAY - 60_000).toISOString() }));
    await s.filesChanged([{ uri: s.uri('.playbooks/advisories/osv/npm.zip.fetch.json'), type: 2 }]);
    const uri = await s.open('checkout.playbook.yaml');
    const diagnostics = await s.diagnostics(uri, (d) => d.some((x) => x.code === 'PB110'));
    assert.match(messageOf(diagnostics.find((x) => x.code === 'PB110')), /^advisories are 12 days old: '\.playbooks\/advisories' was last fetched on \d{4}-\d\d-\d\d, and the policy's 'advisories-max-age' is 7d/);
    await s.until(() => lastStatus(s).age?.stale === true, 'a stale status');
    assert.deepEqual(lastStatus(s).age, { text: '12 days', stale: true, source: '.playbooks/advisories', basis: 'fetched', maxAge: '7d' });
  });

  test('time passing alone, with no edit, brings the finding and the warning', async () => {
    let now = Date.now();
    const s = await session({ server: { now: () => new Date(now), ageCheckEveryMs: 20 } });
    await s.client.sendRequest(updateAdvisoriesRequest, {});
    const uri = await s.open('checkout.playbook.yaml');
    const fresh = await s.diagnostics(uri, (d) => codes(d).includes('PB101'));
    assert.ok(!codes(fresh).includes('PB110'));
    now += 8 * DAY;
    const old = await s.diagnostics(uri, (d) => codes(d).includes('PB110'));
    assert.match(messageOf(old.find((x) => x.code === 'PB110')), /^advisories are 8 days old/);
    await s.until(() => lastStatus(s).age?.text === '8 days' && lastStatus(s).age?.stale === true, 'the status to say 8 days');
  });
});
