/**
 * RunSession.resume (node/runSession.ts): the record is the run's state. A run interrupted after a
 * few steps (also half-way through one) is resumed from its file by another person and finished; the
 * record then verifies whole and numbers its notifications on. A record edited by hand, one that
 * does not follow the playbook, one whose playbook changed since, and one already ended are refused
 * with the reason (and the line, when one is at fault). A step id with a secret in it, written
 * redacted, still resumes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { answerFor, type Answer, type Delivery } from '../../server/src/core/index.js';
import { CheckEnvironment } from '../../server/src/node/checkEnvironment.js';
import { analyseForRun } from '../../server/src/node/runAnalysis.js';
import { readRunRecord, recordFileName, RunRecordWriter } from '../../server/src/node/runRecord.js';
import { RunSession, type RunSessionOptions } from '../../server/src/node/runSession.js';
import { recordEvents as events, SEARCH_ROLLBACK as PLAYBOOK, SEARCH_ROLLBACK_FILES } from './helpers/searchRollback.js';
import { assertNoSecret, SECRET_PLAYBOOK } from './helpers/secretPlaybook.js';

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'playbook-resume-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

/** The options the CLI and the server give a session: the playbook as it is on disk, checked against the folder's policy and advisories. */
async function options(root: string, name: string, who: string, extra: Partial<RunSessionOptions> = {}): Promise<RunSessionOptions> {
  const file = path.join(root, name);
  const text = readFileSync(file, 'utf8');
  const environment = await new CheckEnvironment(root).forPlaybook(file);
  let clock = Date.parse('2026-12-06T05:10:00Z');
  const sent: string[] = [];
  const send = async (channel: string, message: string): Promise<Delivery> => {
    sent.push(`${channel}: ${message}`);
    return { status: 'not-configured', attempts: 0 };
  };
  return {
    analyse: () => analyseForRun(file, text, environment, new Date(clock)), file, text, workspace: root, recordDir: path.join(root, '.playbooks/runs'), who, mode: 'editor', toolVersion: 'test',
    send, autoNotify: { enabled: false, after: new Set() }, now: () => new Date((clock += 1000)), ...extra,
  };
}

const done: Answer = { kind: 'done', acknowledgeAdvisories: false };

function live(resumed: RunSession | { problem: string }): RunSession {
  assert.ok(!('problem' in resumed), 'problem' in resumed ? resumed.problem : '');
  return resumed;
}

describe('RunSession.resume', () => {
  test('a run interrupted after two steps is resumed by someone else and finished: one record, verified whole, every event in order', async () => {
    const root = folder(SEARCH_ROLLBACK_FILES);
    const first = await RunSession.start(await options(root, 'search.playbook.yaml', '@alice'));
    assert.equal(await first.answer(done), undefined);
    assert.equal(await first.answer({ kind: 'approved', by: '@secops-oncall' }), undefined);
    first.close(); // the editor went away
    const file = first.recordFile;
    assert.equal((await readRunRecord(file) as { unfinished: boolean }).unfinished, true);

    const second = live(await RunSession.resume(file, await options(root, 'search.playbook.yaml', '@bob')));
    assert.equal(second.step?.id, 'roll-back', 'it goes on at the step the flow is at');
    assert.equal(second.stepStarted, false);
    assert.deepEqual(second.passed, [{ step: 'triage', action: 'diagnose', result: 'done' }, { step: 'security-gate', action: 'checkpoint', result: 'approved' }]);
    assert.match(await second.answer(done) ?? '', /standing advisory \(GHSA-jfh8-c2jp-5v3q CRITICAL\)/, 'the release is still checked as it is now');
    assert.equal(await second.answer({ kind: 'done', acknowledgeAdvisories: true }), undefined);
    assert.equal(await second.answer(done), undefined);
    assert.equal(await second.answer(done), undefined);
    assert.equal(second.end(), 'resolved');

    const record = await readRunRecord(file);
    assert.ok(!('problem' in record), JSON.stringify(record));
    assert.equal(record.unfinished, false);
    assert.deepEqual(readdirSync(path.dirname(file)), [path.basename(file)], 'no second record');
    const log = events(file);
    assert.deepEqual(log.map((e) => e['type']), ['run-started', 'step-started', 'step-done', 'step-started', 'approval', 'step-started', 'release-check', 'release-check', 'step-done', 'step-started', 'notification', 'step-done', 'step-started', 'step-done', 'run-ended']);
    assert.deepEqual(log.map((e) => e['by']), [...Array(5).fill('@alice'), ...Array(10).fill('@bob')]);
    assert.deepEqual(log.at(-1)!['path'], ['triage', 'security-gate', 'roll-back', 'tell-security', 'postmortem']);
  });

  test('a run interrupted half-way through a step goes on with that step (started once), and numbers its notifications on', async () => {
    const root = folder({ '.playbooks/policy.yaml': 'policy: 1\n', 'search.playbook.yaml': PLAYBOOK });
    const autoNotify = { enabled: true, after: new Set(['rollback']) };
    const first = await RunSession.start(await options(root, 'search.playbook.yaml', '@alice', { autoNotify }));
    for (const answer of [done, { kind: 'approved', by: 'security' } as const, done]) assert.equal(await first.answer(answer), undefined);
    first.startStep(); // tell-security started, then the window closed
    first.close();
    const second = live(await RunSession.resume(first.recordFile, await options(root, 'search.playbook.yaml', '@alice', { autoNotify })));
    assert.equal(second.step?.id, 'tell-security');
    assert.equal(second.stepStarted, true);
    assert.deepEqual(second.notificationsSent.map((n) => [n.id, n.auto]), [[1, true]], 'the auto notification sent before the interruption');
    assert.equal(await second.answer(done), undefined);
    assert.deepEqual(second.notificationsSent.map((n) => [n.id, n.auto, n.message]), [[1, true, second.notificationsSent[0]!.message], [2, false, 'search rolled back to 2.14.1']]);
    await second.answer(done);
    second.end();
    const log = events(first.recordFile);
    assert.equal(log.filter((e) => e['type'] === 'step-started' && e['step'] === 'tell-security').length, 1);
    assert.ok(!('problem' in (await readRunRecord(first.recordFile))));
  });

  test('an edited record refuses to resume, naming the line where the chain breaks; nothing is appended', async () => {
    const root = folder({ '.playbooks/policy.yaml': 'policy: 1\n', 'search.playbook.yaml': PLAYBOOK });
    const first = await RunSession.start(await options(root, 'search.playbook.yaml', '@alice'));
    await first.answer({ kind: 'done', note: 'pods fine', acknowledgeAdvisories: false });
    await first.answer({ kind: 'approved', by: 'security' });
    first.close();
    const text = readFileSync(first.recordFile, 'utf8');
    writeFileSync(first.recordFile, text.replace('pods fine', 'pods broken'));
    const refused = await RunSession.resume(first.recordFile, await options(root, 'search.playbook.yaml', '@alice'));
    assert.ok('problem' in refused);
    assert.equal(refused.line, 4);
    assert.match(refused.problem, /^the record cannot be trusted: line 4 its prev is not the hash of line 3/);
    assert.equal(readFileSync(first.recordFile, 'utf8'), text.replace('pods fine', 'pods broken'));
  });

  test('a record whose chain holds but which does not follow the playbook is refused at its first wrong event', async () => {
    const root = folder({ '.playbooks/policy.yaml': 'policy: 1\n', 'search.playbook.yaml': PLAYBOOK });
    const opts = await options(root, 'search.playbook.yaml', '@alice');
    const first = await RunSession.start(opts);
    first.close();
    const { seq: _seq, prev: _prev, ...started } = events(first.recordFile)[0]!;
    // A record written by hand with a proper chain: the checkpoint "done", skipping the triage.
    const writer = RunRecordWriter.create(path.join(root, 'forged'), recordFileName(new Date(), 'search-rollback'));
    const at = { at: '2026-12-06T05:10:00.000Z', by: '@mallory' };
    writer.append(started as never);
    writer.append({ type: 'step-started', ...at, step: 'triage', index: 0 });
    writer.append({ type: 'step-done', ...at, step: 'triage' });
    writer.append({ type: 'step-started', ...at, step: 'security-gate', index: 1 });
    writer.append({ type: 'step-done', ...at, step: 'security-gate' });
    writer.close();
    assert.ok(!('problem' in (await readRunRecord(writer.file))), 'the chain itself holds');
    const refused = await RunSession.resume(writer.file, opts);
    assert.ok('problem' in refused);
    assert.deepEqual([refused.line, refused.problem], [5, "line 5 does not follow the playbook: checkpoint 'security-gate' is approved or denied, not done"]);
  });

  test('a playbook changed since the run started is refused, saying so; an ended run has nothing to resume', async () => {
    const root = folder({ '.playbooks/policy.yaml': 'policy: 1\n', 'search.playbook.yaml': PLAYBOOK });
    const first = await RunSession.start(await options(root, 'search.playbook.yaml', '@alice'));
    await first.answer(done);
    first.close();
    writeFileSync(path.join(root, 'search.playbook.yaml'), PLAYBOOK.replace('kubectl get pods', 'kubectl get pods -A'));
    const changed = await RunSession.resume(first.recordFile, await options(root, 'search.playbook.yaml', '@alice'));
    assert.ok('problem' in changed);
    assert.match(changed.problem, /^the playbook search\.playbook\.yaml has changed since the run started .*restore that text to resume it, or start a new run$/);

    writeFileSync(path.join(root, 'search.playbook.yaml'), PLAYBOOK);
    const again = live(await RunSession.resume(first.recordFile, await options(root, 'search.playbook.yaml', '@alice')));
    assert.equal(again.end(), 'abandoned');
    const ended = await RunSession.resume(first.recordFile, await options(root, 'search.playbook.yaml', '@alice'));
    assert.deepEqual(ended, { problem: 'the run has ended (abandoned): there is nothing to resume' });
  });

  test('two runs of one playbook started in the same second get a record each', () => {
    const dir = folder({});
    const name = recordFileName(new Date('2026-12-06T05:10:00Z'), 'search-rollback');
    const files = [1, 2, 3].map(() => RunRecordWriter.create(dir, name)).map((w) => (w.close(), path.basename(w.file)));
    assert.deepEqual(files, ['20261206T051000Z-search-rollback.jsonl', '20261206T051000Z-search-rollback-2.jsonl', '20261206T051000Z-search-rollback-3.jsonl']);
  });

  test('a step whose id holds a secret is written redacted and still resumes; no secret reaches the record', async () => {
    const root = folder({ '.playbooks/policy.yaml': 'policy: 1\n', 'drill.playbook.yaml': SECRET_PLAYBOOK });
    const answers = { who: '@alice', steps: new Map<string, Answer>() };
    const first = await RunSession.start(await options(root, 'drill.playbook.yaml', '@alice'));
    // Up to and through the step whose id is a secret, then the window goes.
    let passedSecret = false;
    for (let step = first.step; step && !passedSecret; step = first.step) {
      passedSecret = step.id !== undefined && step.id.startsWith('deploy-token=');
      assert.equal(await first.answer(answerFor(answers, step)), undefined);
    }
    assert.ok(passedSecret, 'the run went through the step named with a secret');
    first.close();
    const second = live(await RunSession.resume(first.recordFile, await options(root, 'drill.playbook.yaml', '@alice')));
    assert.ok(second.passed.some((p) => p.step.startsWith('deploy-token=') && !p.step.includes('JepkEP9426sgyUof')));
    for (let step = second.step; step; step = second.step) assert.equal(await second.answer(answerFor(answers, step)), undefined);
    second.end();
    const text = readFileSync(first.recordFile, 'utf8');
    assertNoSecret(text, 'the resumed record');
    assert.ok(!('problem' in (await readRunRecord(first.recordFile))));
  });
});
