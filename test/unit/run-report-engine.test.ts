/**
 * The run report of records the run engine itself wrote (node/runSession.ts, the code path of
 * `playbook run` and the editor): read back and verified as `playbook runs verify` reads them, then
 * reported. The report must find nothing out of order in a real record, and its verdicts must
 * follow what the webhooks answered.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AdvisorySnapshot } from '../../server/src/core/advisories/snapshot.js';
import { checkPlaybook } from '../../server/src/core/check.js';
import { DEFAULT_POLICY } from '../../server/src/core/policy/policy.js';
import { answerFor, parseAnswers } from '../../server/src/core/run/answers.js';
import type { Delivery } from '../../server/src/core/run/events.js';
import { runReport } from '../../server/src/core/run/report.js';
import { reportPlaybook } from '../../server/src/core/run/reportPlaybook.js';
import type { RecordVerification, RunReport } from '../../server/src/core/run/reportTypes.js';
import { AdvisoryStore } from '../../server/src/node/advisoryStore.js';
import { readRunRecord } from '../../server/src/node/runRecord.js';
import { RunSession } from '../../server/src/node/runSession.js';
import { OSV_DIR } from './helpers/osvIndex.js';
import { SEARCH_ROLLBACK } from './helpers/searchRollback.js';
import { sha256 } from './helpers/runRecord.js';

/** The run tests' rollback playbook, claiming two SOC 2 points. */
const PLAYBOOK = SEARCH_ROLLBACK.replace('severity: sev2\n', 'severity: sev2\ncompliance: [SOC2:CC2.2, SOC2:CC7.4]\n');

const ANSWERS = 'who: "@alice"\nsteps:\n  security-gate: { approved-by: "@secops-oncall" }\n  roll-back: { done: true, note: "at 10:02", acknowledge-advisories: true }\n';

let advisories: AdvisorySnapshot;
before(async () => {
  advisories = await new AdvisoryStore().load([{ entry: 'osv', path: OSV_DIR }]);
});

/** Runs the playbook to its end through the engine, every message answered by `delivery`; the record's file. */
async function recordedRun(dir: string, delivery: Delivery): Promise<string> {
  const file = path.join(dir, 'search.playbook.yaml');
  writeFileSync(file, PLAYBOOK);
  const analyse = async () => checkPlaybook(PLAYBOOK, { policy: DEFAULT_POLICY, advisories });
  let tick = Date.parse('2026-12-06T05:10:00.000Z');
  const session = await RunSession.start({
    analyse, file, text: PLAYBOOK, workspace: dir, recordDir: path.join(dir, 'runs'), who: '@alice', mode: 'answers', toolVersion: '0.1.0',
    send: async () => delivery,
    autoNotify: { enabled: true, after: DEFAULT_POLICY.notifySecurityAfter },
    now: () => new Date((tick += 30_000)),
  });
  const answers = parseAnswers(ANSWERS, (await analyse()).parsed.model.steps);
  assert.ok(!('problems' in answers));
  for (let step = session.step; step; step = session.step) assert.equal(await session.answer(answerFor(answers, step)), undefined);
  session.end();
  return path.join(dir, 'runs', readdirSync(path.join(dir, 'runs'))[0]!);
}

/** The report `playbook runs report` makes: the record read and verified, the playbook's facts given. */
async function reportOf(record: string): Promise<RunReport> {
  const read = await readRunRecord(record);
  const verification: RecordVerification = 'problem' in read ? { ok: false, problem: `line ${read.line} ${read.problem}` } : { ok: true, unfinished: read.unfinished };
  const events = 'problem' in read ? readFileSync(record, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as unknown) : read.events;
  return runReport(events, verification, { playbook: reportPlaybook(checkPlaybook(PLAYBOOK, { policy: DEFAULT_POLICY }), sha256(PLAYBOOK)) });
}

describe('run report of records the engine wrote', () => {
  const dirs: string[] = [];
  const dir = () => {
    dirs.push(mkdtempSync(path.join(tmpdir(), 'playbook-run-report-')));
    return dirs.at(-1)!;
  };
  test.after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('every message delivered: nothing out of order, every point evidenced, the automatic notification among them', async () => {
    const r = await reportOf(await recordedRun(dir(), { status: 'delivered', attempts: 1, httpStatus: 200 }));
    assert.deepEqual([r.record.verified, r.record.finished, r.record.warnings, r.problems], [true, true, [], []]);
    assert.equal(r.soc2Basis.startsWith("each step's action from the playbook the run followed"), true);
    assert.deepEqual(r.soc2.map((p) => [p.criterion, p.evidenced, p.claimed]), [['CC2.2', true, true], ['CC7.3', true, false], ['CC7.4', true, true], ['CC7.5', true, false]]);
    assert.deepEqual(r.notifications.map((n) => [n.id, n.step, n.auto, n.channel]), [[1, null, true, 'security'], [2, 'tell-security', false, 'security']]);
    assert.deepEqual(r.approvals.map((a) => [a.step, a.approver, a.decision]), [['security-gate', '@secops-oncall', 'granted']]);
    assert.deepEqual(r.releaseChecks.map((c) => [c.step, c.version, c.standing.map((a) => a.id).join(), c.acknowledgedBy]), [['roll-back', '2.14.1', 'GHSA-7rjr-3q55-vv33,GHSA-jfh8-c2jp-5v3q', '@alice']]);
    assert.deepEqual(r.path, ['triage', 'security-gate', 'roll-back', 'tell-security', 'postmortem']);
  });

  test('every message left queued: run-ended lists them as the report does, and security was not told', async () => {
    const r = await reportOf(await recordedRun(dir(), { status: 'queued', attempts: 4, httpStatus: 503, error: 'Service Unavailable' }));
    assert.deepEqual([r.problems, r.undelivered], [[], [1, 2]]);
    assert.deepEqual(r.soc2.map((p) => p.evidenced), [false, true, true, true]);
    assert.match(r.record.warnings[0]!, /^2 notifications never reached anyone: notification 1 to security \(#sec-incidents\) sent automatically: queued/);
  });

  test('a line edited after the run: the chain says so, and nothing is evidenced', async () => {
    const record = await recordedRun(dir(), { status: 'delivered', attempts: 1 });
    writeFileSync(record, readFileSync(record, 'utf8').replace('"decision":"granted"', '"decision":"granted","note":"added later"'));
    const r = await reportOf(record);
    assert.equal(r.record.verified, false);
    assert.match(r.record.warnings[0]!, /^Evidence that cannot be trusted: the record's hash chain does not verify \(line \d+ its prev is not the hash of line \d+/);
    assert.deepEqual(r.soc2.map((p) => p.evidenced), [false, false, false, false]);
    assert.equal(r.approvals[0]!.note, 'added later', 'what the record claims is still shown');
  });
});
