/**
 * Incident runs through the language server (the run panel's requests): a run started on a saved
 * playbook, answered step by step (a checkpoint decided by someone named, a rollback whose
 * standing advisory is shown first and refused until acknowledged, a notify step sent), ended by its
 * flow; the record under `.playbooks/runs/`, verified, and the same as `playbook run --answers`
 * writes for the same answers. Then a run resumed after the server was started again, an abandoned
 * run, and the refusals (an unsaved playbook, nobody named, a stale answer, a changed playbook).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ResponseError } from 'vscode-languageserver-protocol';
import { readRunRecord } from '../../server/src/node/runRecord.js';
import { RUN_NOT_OPEN, runGiveUpRequest, webhookSecretsRequest, runAnswerRequest, runEndRequest, runPreviewReleaseRequest, runReportRequest, runResumeRequest, runRetryRequest, runStartRequest, runStateRequest, type RunView } from '../../server/src/shared/protocol.js';
import { cli } from '../cli/helpers.js';
import { laterDeliveries, recordEvents as events, SEARCH_ROLLBACK as PLAYBOOK, SEARCH_ROLLBACK_FILES } from '../unit/helpers/searchRollback.js';
import { startReceiver, type Receiver } from '../unit/helpers/webhookReceiver.js';
import { sessionStarter, type Session } from './harness.js';

const FILES = SEARCH_ROLLBACK_FILES;
const start = sessionStarter();

const runsIn = (root: string): string[] => readdirSync(path.join(root, '.playbooks/runs')).sort();
const done = { kind: 'done', acknowledgeAdvisories: false } as const;

/** A policy that binds the security channel's webhook to a name, whose URL the editor keeps. */
const HOOKED_FILES = { ...FILES, '.playbooks/policy.yaml': 'policy: 1\nnotify:\n  security:\n    webhook-env: SECURITY_WEBHOOK_URL\n' };

/** A run whose notify step was sent to a receiver on 127.0.0.1 that answers 500 (retried at once, then queued): the run's view just after. */
async function queuedNotification(): Promise<{ receiver: Receiver; s: Session; queued: RunView }> {
  const receiver = await startReceiver();
  receiver.afterwards({ status: 500, body: 'down' });
  const s = await start({ files: HOOKED_FILES, server: { webhookDelivery: { backoffMs: [1, 1], timeoutMs: 2000 } } });
  s.client.onRequest(webhookSecretsRequest, () => ({ SECURITY_WEBHOOK_URL: `${receiver.origin}/hook` }));
  const queued = await answer(s, await untilNotify(s), done);
  assert.equal(queued.notifications[0]!.delivery.status, 'queued');
  return { receiver, s, queued };
}

/** A run of the search playbook started and answered up to its notify step (the rollback's standing advisory acknowledged). */
async function untilNotify(s: Session): Promise<RunView> {
  let view = await s.client.sendRequest(runStartRequest, { uri: s.uri('search.playbook.yaml'), who: '@alice' });
  view = await answer(s, view, done);
  view = await answer(s, view, { kind: 'approved', by: 'security' });
  return answer(s, view, { kind: 'done', acknowledgeAdvisories: true });
}

async function answer(s: Session, view: RunView, a: Parameters<typeof s.client.sendRequest<typeof runAnswerRequest>>[1]['answer']): Promise<RunView> {
  return s.client.sendRequest(runAnswerRequest, { runId: view.runId, step: view.step!.name, answer: a });
}

describe('incident runs through the language server', () => {
  test('start, answer each step, a rollback refused until its standing advisory is acknowledged, the flow ends the run; the record verifies', async () => {
    const s = await start({ files: FILES });
    let view = await s.client.sendRequest(runStartRequest, { uri: s.uri('search.playbook.yaml'), who: '@alice' });
    assert.deepEqual([view.playbook.id, view.playbook.shown, view.who, view.passed, view.ended], ['search-rollback', 'search.playbook.yaml', '@alice', [], undefined]);
    assert.match(view.recordShown, /^\.playbooks\/runs\/\d{8}T\d{6}Z-search-rollback\.jsonl$/);
    assert.deepEqual([view.step!.name, view.step!.started, view.step!.quote], ['triage', true, { lead: 'diagnose by running', kind: 'command', text: 'kubectl get pods' }]);

    view = await answer(s, view, done);
    assert.deepEqual(view.step!.checkpoint, { kind: 'security-review', approvers: [{ name: 'security', contact: '@secops-oncall' }], security: true });
    await assert.rejects(answer(s, view, { kind: 'approved', by: '  ' }), /say who approved it/);
    await assert.rejects(answer(s, view, done), /'security-gate' is a checkpoint/);
    view = await answer(s, view, { kind: 'approved', by: ' @bob ', note: 'scan clean' });

    assert.deepEqual([view.step!.name, view.step!.release], ['roll-back', { service: 'search', from: '2.17.1', version: '2.14.1' }]);
    const preview = await s.client.sendRequest(runPreviewReleaseRequest, { runId: view.runId });
    assert.deepEqual([preview!.service, preview!.version, preview!.standing.map((a) => [a.id, a.severity])], ['search', '2.14.1', [['GHSA-jfh8-c2jp-5v3q', 'CRITICAL']]]);
    view = await answer(s, view, done);
    assert.equal(view.step!.name, 'roll-back', 'not done without the acknowledgement');
    assert.match(view.stopped ?? '', /search 2\.14\.1 has 1 standing advisory \(GHSA-jfh8-c2jp-5v3q CRITICAL\); acknowledge them or choose another release/);
    const stale = view;
    view = await answer(s, view, { kind: 'done', acknowledgeAdvisories: true, note: 'security knows' });
    assert.equal(view.stopped, undefined);
    await assert.rejects(answer(s, stale, { kind: 'done', acknowledgeAdvisories: true }), /the run has moved on: the step to do now is 'tell-security', not 'roll-back'/);

    assert.deepEqual(view.step!.notify, { channel: 'security', target: '#sec-incidents', message: 'search rolled back to 2.14.1' });
    view = await answer(s, view, done);
    assert.deepEqual(view.notifications, [{ id: 1, step: 'tell-security', channel: 'security', target: '#sec-incidents', message: 'search rolled back to 2.14.1', auto: false, delivery: { status: 'not-configured', attempts: 0, error: 'the policy binds no webhook to the `security` channel (its `notify` section)' } }]);
    view = await answer(s, view, done);
    assert.equal(view.ended, 'resolved');
    assert.equal(view.step, undefined);
    assert.deepEqual(view.passed.map((p) => `${p.step}:${p.result}`), ['triage:done', 'security-gate:approved', 'roll-back:done', 'tell-security:done', 'postmortem:done']);
    assert.deepEqual(await s.client.sendRequest(runStateRequest, { runId: view.runId }), view);

    assert.equal(view.record, path.join(s.root, view.recordShown));
    const record = await readRunRecord(view.record);
    assert.ok(!('problem' in record), JSON.stringify(record));
    assert.equal(record.unfinished, false);
    const log = events(view.record);
    assert.deepEqual(log.map((e) => e['type']), ['run-started', 'step-started', 'step-done', 'step-started', 'approval', 'step-started', 'release-check', 'release-check', 'step-done', 'step-started', 'notification', 'step-done', 'step-started', 'step-done', 'run-ended']);
    assert.deepEqual(log.filter((e) => e['type'] === 'release-check').map((e) => e['acknowledged']), [false, true], 'the refused check and the acknowledged one are both recorded');
    assert.deepEqual([log[0]!['mode'], log[0]!['by'], (log[0]!['playbook'] as { file: string }).file], ['editor', '@alice', 'search.playbook.yaml']);
    assert.deepEqual([log[4]!['approver'], log[4]!['by'], log[4]!['decision']], ['@bob', '@alice', 'granted'], 'who decided, by name as an answers file gives it; who recorded it');

    // Open Run Report: the same Markdown as `playbook runs report` writes; only a record inside the workspace.
    const { markdown } = await s.client.sendRequest(runReportRequest, { record: view.record });
    const fromCli = await cli(['runs', 'report', view.record], s.root);
    assert.equal(markdown, fromCli.stdout);
    assert.match(markdown, /GHSA-jfh8-c2jp-5v3q/);
    await assert.rejects(s.client.sendRequest(runReportRequest, { record: '/etc/passwd' }), /is not a run record in a workspace folder/);
  });

  test("the editor's record is the one `playbook run --answers` writes for the same answers (times and mode aside)", async () => {
    const s = await start({ files: { ...FILES, 'answers.yaml': 'who: "@alice"\nsteps:\n  security-gate: { approved-by: security }\n  roll-back: { done: true, acknowledge-advisories: true }\n' } });
    let view = await s.client.sendRequest(runStartRequest, { uri: s.uri('search.playbook.yaml'), who: '@alice' });
    for (const a of [done, { kind: 'approved', by: 'security' } as const, { kind: 'done', acknowledgeAdvisories: true } as const, done, done]) view = await answer(s, view, a);
    assert.equal(view.ended, 'resolved');
    const fromCli = await cli(['run', 'search.playbook.yaml', '--answers', 'answers.yaml', '--record', 'cli-runs'], s.root);
    assert.equal(fromCli.code, 0, fromCli.stderr);
    const cliRecord = path.join(s.root, 'cli-runs', readdirSync(path.join(s.root, 'cli-runs'))[0]!);
    const comparable = (file: string): unknown[] => events(file).map(({ at: _at, prev: _prev, mode: _mode, ...rest }) => rest);
    assert.deepEqual(comparable(view.record), comparable(cliRecord));
  });

  test('a run goes on from its record after the server is started again: the old id is not open, Resume continues the same record', async () => {
    const s = await start({ files: FILES });
    const first = await s.client.sendRequest(runStartRequest, { uri: s.uri('search.playbook.yaml'), who: '@alice' });
    const second = await answer(s, first, done);
    s.dispose(); // the server is gone (a reload, a crash)

    const again = await start({ root: s.root });
    const error = await again.client.sendRequest(runStateRequest, { runId: second.runId }).then(() => undefined, (e: ResponseError) => e);
    assert.equal(error?.code, RUN_NOT_OPEN);
    let view = await again.client.sendRequest(runResumeRequest, { record: second.record, who: '@bob' });
    assert.deepEqual([view.record, view.who, view.step!.name, view.passed.map((p) => p.step)], [second.record, '@bob', 'security-gate', ['triage']]);
    const same = await again.client.sendRequest(runResumeRequest, { record: second.record, who: '@bob' });
    assert.equal(same.runId, view.runId, 'a record open already is not opened twice');
    for (const a of [{ kind: 'approved', by: 'security' } as const, { kind: 'done', acknowledgeAdvisories: true } as const, done, done]) view = await answer(again, view, a);
    assert.equal(view.ended, 'resolved');
    assert.deepEqual(runsIn(s.root), [path.basename(second.record)], 'one record');
    const record = await readRunRecord(second.record);
    assert.ok(!('problem' in record), JSON.stringify(record));
    // The step shown when the server went away was started by @alice; @bob answered it.
    assert.deepEqual(record.events.map((e) => e.by), [...Array(4).fill('@alice'), ...Array(record.events.length - 4).fill('@bob')]);
    const endedView = await again.client.sendRequest(runResumeRequest, { record: second.record, who: '@bob' });
    assert.deepEqual([endedView.runId, endedView.ended], [view.runId, 'resolved'], 'an ended run open in the server is shown as it ended');
  });

  test('an abandoned run ends there; an edited record, a changed playbook and a record outside the workspace are not resumed', async () => {
    const s = await start({ files: FILES });
    const first = await s.client.sendRequest(runStartRequest, { uri: s.uri('search.playbook.yaml'), who: '@alice' });
    const view = await answer(s, first, { kind: 'done', note: 'pods restarting', acknowledgeAdvisories: false });
    const ended = await s.client.sendRequest(runEndRequest, { runId: view.runId });
    assert.equal(ended.ended, 'abandoned');
    await assert.rejects(answer(s, view, { kind: 'approved', by: 'security' }), /the run has ended \(abandoned\)/);
    assert.deepEqual(events(view.record).at(-1), { ...events(view.record).at(-1), type: 'run-ended', outcome: 'abandoned', path: ['triage'] });

    const open = await s.client.sendRequest(runStartRequest, { uri: s.uri('search.playbook.yaml'), who: '@alice' });
    const interrupted = await answer(s, await answer(s, open, { kind: 'done', note: 'pods restarting', acknowledgeAdvisories: false }), { kind: 'approved', by: 'security' });
    s.dispose();
    const text = readFileSync(interrupted.record, 'utf8');
    writeFileSync(interrupted.record, text.replace('pods restarting', 'pods fine'));
    const again = await start({ root: s.root });
    await assert.rejects(again.client.sendRequest(runResumeRequest, { record: interrupted.record, who: '@alice' }), /cannot be trusted: line 4 its prev is not the hash of line 3/);
    writeFileSync(interrupted.record, text);
    writeFileSync(path.join(s.root, 'search.playbook.yaml'), PLAYBOOK.replace('kubectl get pods', 'kubectl get pods -A'));
    await assert.rejects(again.client.sendRequest(runResumeRequest, { record: interrupted.record, who: '@alice' }), /the playbook search\.playbook\.yaml has changed since the run started/);
    await assert.rejects(again.client.sendRequest(runResumeRequest, { record: path.join(path.dirname(s.root), 'elsewhere.jsonl'), who: '@alice' }), /is not a run record in a workspace folder/);
  });

  test('a notify step is delivered to the webhook URL the editor keeps in its secret storage (a real receiver on 127.0.0.1), asked at each try: one stored during the run sends the waiting notification; the URL is nowhere in the view or the record', async () => {
    const receiver = await startReceiver();
    const hook = `${receiver.origin}/hooks/security-team`;
    const s = await start({ files: HOOKED_FILES });
    const asked: string[][] = [];
    let stored: Record<string, string> = {};
    s.client.onRequest(webhookSecretsRequest, ({ names }) => (asked.push(names), stored));
    try {
      // Nothing stored: the notification waits, queued, saying where the URL is looked for.
      let view = await untilNotify(s);
      assert.deepEqual(asked, [], 'nothing is asked before a notification is sent');
      view = await answer(s, view, done);
      assert.ok((asked as string[][]).length >= 1 && (asked as string[][]).every((names) => names.join() === 'SECURITY_WEBHOOK_URL'), `only the name the policy gives: ${JSON.stringify(asked)}`);
      assert.deepEqual([view.notifications[0]!.delivery.status, view.notifications[0]!.delivery.attempts], ['queued', 0]);
      assert.match(view.notifications[0]!.delivery.error ?? '', /SECURITY_WEBHOOK_URL.*in the environment or the editor's secret storage/);
      assert.equal(receiver.received.length, 0);
      assert.equal(view.notifications[0]!.webhookEnv, 'SECURITY_WEBHOOK_URL', 'the name to store a URL under, for the panel');
      // Stored during the run (with a name the policy does not give, which is not used): a retry sends it at once.
      stored = { SECURITY_WEBHOOK_URL: hook, OTHER: 'https://example.invalid/not-asked' };
      view = await s.client.sendRequest(runRetryRequest, { runId: view.runId });
      assert.deepEqual([view.notifications[0]!.delivery.status, view.notifications[0]!.delivery.attempts], ['delivered', 1]);
      view = await answer(s, view, done);
      assert.equal(view.ended, 'resolved');
      assert.equal(receiver.received.length, 1);
      assert.equal(receiver.received[0]!.url, '/hooks/security-team');
      assert.match(receiver.received[0]!.body, /search rolled back to 2\.14\.1/);
      assert.deepEqual(laterDeliveries(view.record), ['delivered'], 'the late delivery is recorded');
      assert.deepEqual(events(view.record).at(-1)!['undelivered'], []);
      const shown = JSON.stringify(view) + readFileSync(view.record, 'utf8');
      assert.ok(!shown.includes(receiver.origin) && !shown.includes('/hooks/'), 'the URL is in neither the view nor the record');
    } finally {
      await receiver.close();
    }
  });

  test('a notification the receiver keeps refusing stays queued; the person gives up on it, which the record and the report say', async () => {
    const { receiver, s, queued } = await queuedNotification();
    try {
      let view = queued;
      assert.ok(receiver.received.length >= 3, `${receiver.received.length} attempts`);
      await assert.rejects(s.client.sendRequest(runGiveUpRequest, { runId: view.runId, notification: 7 }), /notification 7 is not waiting for delivery/);
      view = await s.client.sendRequest(runGiveUpRequest, { runId: view.runId, notification: 1 });
      assert.equal(view.notifications[0]!.delivery.status, 'given-up');
      await assert.rejects(s.client.sendRequest(runGiveUpRequest, { runId: view.runId, notification: 1 }), /notification 1 is not waiting for delivery/, 'once');
      const attempts = receiver.received.length;
      view = await answer(s, view, done);
      assert.equal(view.ended, 'resolved');
      assert.equal(receiver.received.length, attempts, 'not tried again after giving up');
      const gaveUp = events(view.record).find((e) => e['type'] === 'delivery');
      assert.deepEqual([gaveUp?.['by'], (gaveUp?.['delivery'] as { status: string }).status], ['@alice', 'given-up']);
      assert.deepEqual(events(view.record).at(-1)!['undelivered'], [], 'given up: no longer waiting');
      const { markdown } = await s.client.sendRequest(runReportRequest, { record: view.record });
      assert.match(markdown, /given up by @alice/);
    } finally {
      await receiver.close();
    }
  });

  test('a queued notification that gets through on a later try shows as delivered in the panel\'s view, as in the record', async () => {
    const { receiver, s, queued } = await queuedNotification();
    try {
      let view = queued;
      receiver.afterwards({ status: 200 }); // the receiver is back
      view = await answer(s, view, done); // each answer tries the queue again
      assert.equal(view.notifications[0]!.delivery.status, 'delivered');
      assert.deepEqual(laterDeliveries(view.record), ['delivered']);
    } finally {
      await receiver.close();
    }
  });

  test('a client that does not answer for its secret storage: the environment is used, and the run goes on', async () => {
    const files = { ...FILES, '.playbooks/policy.yaml': 'policy: 1\nnotify:\n  security:\n    webhook-env: SECURITY_WEBHOOK_URL_UNSET\n' };
    const s = await start({ files });
    let view = await untilNotify(s);
    view = await answer(s, view, done);
    assert.equal(view.notifications[0]!.delivery.status, 'queued');
    assert.match(view.notifications[0]!.delivery.error ?? '', /SECURITY_WEBHOOK_URL_UNSET/);
    const ended = await answer(s, view, done);
    assert.equal(ended.ended, 'resolved');
    assert.deepEqual(events(ended.record).at(-1)!['undelivered'], [1], 'never sent: the run ends saying so');
  });

  test('refused at the start: an unsaved playbook, nobody named, a flow that cannot be followed; a run id the server does not have', async () => {
    const s = await start({ files: { ...FILES, 'loop.playbook.yaml': PLAYBOOK.replace('    owner: sre\n', '    owner: sre\n    next: triage\n') } });
    await assert.rejects(s.client.sendRequest(runStartRequest, { uri: 'untitled:Untitled-1', who: '@alice' }), /save the playbook first/);
    await assert.rejects(s.client.sendRequest(runStartRequest, { uri: s.uri('search.playbook.yaml'), who: '  ' }), /say who runs it/);
    await assert.rejects(s.client.sendRequest(runStartRequest, { uri: s.uri('loop.playbook.yaml'), who: '@alice' }), /loop\.playbook\.yaml: .*flow cannot be followed: .*cycle/);
    const error = await s.client.sendRequest(runAnswerRequest, { runId: 'nope', step: 'triage', answer: done }).then(() => undefined, (e: ResponseError) => e);
    assert.equal(error?.code, RUN_NOT_OPEN);
    assert.throws(() => runsIn(s.root), 'nothing recorded');
  });
});
