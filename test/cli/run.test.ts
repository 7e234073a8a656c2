/**
 * `playbook run FILE --answers A` and `playbook runs verify FILE`, in process against real folders:
 * the path taken and the record, a standing advisory that must be acknowledged (checked against the
 * advisories as they are at that moment), answers that do not fit, the hash chain catching an
 * edited, a removed and a reordered line, and no secret in a record.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runPlaybookRun } from '../../server/src/cli/commands/runPlaybook.js';
import * as path from 'node:path';
import { recordEvents as events, SEARCH_ROLLBACK as PLAYBOOK, SEARCH_ROLLBACK_FILES } from '../unit/helpers/searchRollback.js';
import { assertNoSecret, SECRET_PLAYBOOK } from '../unit/helpers/secretPlaybook.js';
import { cli, workspace } from './helpers.js';

function setUp(extra: Record<string, string> = {}): string {
  return workspace({ ...SEARCH_ROLLBACK_FILES, ...extra });
}

const records = (root: string): string[] => readdirSync(path.join(root, '.playbooks/runs')).map((f) => path.join(root, '.playbooks/runs', f));

describe('playbook run --answers', () => {
  test('a run that acknowledges the standing advisory resolves: the path, the record, its events', async () => {
    const root = setUp({ 'answers.yaml': 'who: "@alice"\nsteps:\n  security-gate: { approved-by: "@secops-oncall" }\n  roll-back: { done: true, note: "at 10:02", acknowledge-advisories: true }\n' });
    const r = await cli(['run', 'search.playbook.yaml', '--answers', 'answers.yaml'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^search-rollback: resolved; path: triage → security-gate → roll-back → tell-security → postmortem\n/);
    const [file] = records(root);
    assert.match(path.basename(file!), /^\d{8}T\d{6}Z-search-rollback\.jsonl$/);
    assert.match(r.stdout, new RegExp(`record: \\.playbooks/runs/${path.basename(file!).replace('.', '\\.')}\\n$`));
    const log = events(file!);
    assert.deepEqual(log.map((e) => e['type']), ['run-started', 'step-started', 'step-done', 'step-started', 'approval', 'step-started', 'release-check', 'step-done', 'step-started', 'notification', 'step-done', 'step-started', 'step-done', 'run-ended']);
    assert.deepEqual(log.map((e) => e['seq']), log.map((_, i) => i));
    const check = log.find((e) => e['type'] === 'release-check')!;
    assert.deepEqual([check['service'], check['version'], check['acknowledged'], (check['standing'] as Array<{ id: string }>).map((s) => s.id)], ['search', '2.14.1', true, ['GHSA-jfh8-c2jp-5v3q']]);
    assert.deepEqual(log.find((e) => e['type'] === 'approval'), { ...log.find((e) => e['type'] === 'approval'), step: 'security-gate', approver: '@secops-oncall', decision: 'granted', by: '@alice' });
    const notification = log.find((e) => e['type'] === 'notification')!;
    assert.deepEqual([notification['channel'], notification['target'], notification['message'], notification['delivery']], ['security', '#sec-incidents', 'search rolled back to 2.14.1', { status: 'not-configured', attempts: 0, error: 'the policy binds no webhook to the `security` channel (its `notify` section)' }]);
    assert.deepEqual(log.at(-1), { ...log.at(-1), type: 'run-ended', outcome: 'resolved', path: ['triage', 'security-gate', 'roll-back', 'tell-security', 'postmortem'], undelivered: [] });
    const verify = await cli(['runs', 'verify', file!], root);
    assert.deepEqual([verify.code, verify.stdout.replace(/^.*?: /, '')], [0, 'the chain holds over 14 events; the run ended resolved\n']);
  });

  test('a standing advisory not acknowledged stops the run before the rollback is done, and says how to go on', async () => {
    const root = setUp({ 'answers.yaml': 'who: "@alice"\n' });
    const r = await cli(['run', 'search.playbook.yaml', '--answers', 'answers.yaml'], root);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /abandoned; path: triage → security-gate\n/);
    assert.match(r.stdout, /stopped: step 'roll-back': search 2\.14\.1 has 1 standing advisory \(GHSA-jfh8-c2jp-5v3q CRITICAL\); acknowledge them in the answers \(acknowledge-advisories: true\) or choose another release/);
    const log = events(records(root)[0]!);
    assert.deepEqual(log.slice(-3).map((e) => e['type']), ['step-started', 'release-check', 'run-ended']);
    assert.equal(log.at(-2)!['acknowledged'], false);
    assert.equal(log.at(-1)!['outcome'], 'abandoned');
  });

  test('the target is checked against the advisories as they are when the step is done: none, then clear', async () => {
    const root = workspace({ '.playbooks/policy.yaml': 'policy: 1\n', '.playbooks/advisories/.keep': '', 'search.playbook.yaml': PLAYBOOK, 'answers.yaml': 'who: "@alice"\n' });
    const r = await cli(['run', 'search.playbook.yaml', '--answers', 'answers.yaml'], root);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const check = events(records(root)[0]!).find((e) => e['type'] === 'release-check')!;
    assert.deepEqual([check['standing'], check['acknowledged']], [[], false]);
  });

  test('a denied checkpoint follows its on-failure: escalate, then the end', async () => {
    const root = setUp({ 'answers.yaml': 'who: "@alice"\nsteps:\n  security-gate: { denied-by: "@secops-oncall", note: "not before the scan" }\n' });
    const r = await cli(['run', 'search.playbook.yaml', '--answers', 'answers.yaml', '--record', 'evidence'], root);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /resolved; path: triage → security-gate → escalate → postmortem\n/);
    assert.match(r.stdout, /record: evidence\/\d{8}T\d{6}Z-search-rollback\.jsonl\n/);
  });

  test('answers that do not fit the playbook are usage errors, every one named, and nothing is recorded', async () => {
    const root = setUp({ 'answers.yaml': 'who: "@alice"\nsteps:\n  rollback: done\n  security-gate: done\n  triage: { skipped: "" }\n  postmortem: { done: yes }\nextra: 1\n' });
    const r = await cli(['run', 'search.playbook.yaml', '--answers', 'answers.yaml'], root);
    assert.equal(r.code, 2);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 5, r.stderr);
    assert.match(r.stderr, /'extra' is not a field of the answers/);
    assert.match(r.stderr, /no step has the id 'rollback'.*roll-back/);
    assert.match(r.stderr, /step 'security-gate': 'done' is not an answer here; a checkpoint takes/);
    assert.match(r.stderr, /step 'triage': 'skipped' gives the reason/);
    assert.match(r.stderr, /step 'postmortem': it is not one of these/);
    assert.throws(() => records(root));
  });

  test('usage: no --answers, a missing answers file, a playbook whose flow loops', async () => {
    const root = setUp({ 'loop.playbook.yaml': PLAYBOOK.replace('    owner: sre\n', '    owner: sre\n    next: triage\n'), 'answers.yaml': 'who: "@alice"\n' });
    assert.match((await cli(['run', 'search.playbook.yaml'], root)).stderr, /'run' takes --answers FILE/);
    assert.match((await cli(['run', 'search.playbook.yaml', '--answers', 'nope.yaml'], root)).stderr, /nope\.yaml: cannot be read \(no such file\)/);
    const loop = await cli(['run', 'loop.playbook.yaml', '--answers', 'answers.yaml'], root);
    assert.equal(loop.code, 2);
    assert.match(loop.stderr, /flow cannot be followed: .*cycle/);
  });

  test('no secret reaches the record: not from the playbook, not from a note the person wrote', async () => {
    const root = workspace({ '.playbooks/policy.yaml': 'policy: 1\n', 'drill.playbook.yaml': SECRET_PLAYBOOK });
    const first = await cli(['run', 'drill.playbook.yaml', '--answers', 'none.yaml'], root);
    assert.equal(first.code, 2);
    writeFileSync(path.join(root, 'answers.yaml'), 'who: "@alice"\n');
    const r = await cli(['run', 'drill.playbook.yaml', '--answers', 'answers.yaml', '--record', 'runs'], root);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const text = readFileSync(path.join(root, 'runs', readdirSync(path.join(root, 'runs'))[0]!), 'utf8');
    assert.ok(text.includes('"type":"notification"') || text.includes('"type":"step-done"'), 'the run went somewhere');
    assertNoSecret(text, 'the run record');
    assertNoSecret(r.stdout + r.stderr, 'the run output');
  });
});

describe('playbook runs verify', () => {
  async function recorded(): Promise<{ root: string; file: string; lines: string[] }> {
    const root = setUp({ 'answers.yaml': 'who: "@alice"\nsteps:\n  roll-back: { done: true, acknowledge-advisories: true }\n' });
    assert.equal((await cli(['run', 'search.playbook.yaml', '--answers', 'answers.yaml'], root)).code, 0);
    const file = records(root)[0]!;
    return { root, file, lines: readFileSync(file, 'utf8').trimEnd().split('\n') };
  }
  const verifyWith = async (lines: string[]): Promise<{ code: number; stdout: string }> => {
    const { root, file } = await recorded();
    writeFileSync(file, `${lines.join('\n')}\n`);
    return cli(['runs', 'verify', file], root);
  };

  test('an edited line: the next line names it', async () => {
    const { lines } = await recorded();
    const edited = [...lines];
    edited[6] = edited[6]!.replace('"acknowledged":true', '"acknowledged":false');
    assert.notEqual(edited[6], lines[6]);
    const r = await verifyWith(edited);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /: line 8 its prev is not the hash of line 7: line 7 was edited, or lines were removed or reordered; the record cannot be trusted from there on\n$/);
  });

  test('a removed line', async () => {
    const { lines } = await recorded();
    const r = await verifyWith([...lines.slice(0, 4), ...lines.slice(5)]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /: line 5 its prev is not the hash of line 4/);
  });

  test('two lines swapped', async () => {
    const { lines } = await recorded();
    const swapped = [...lines];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    const r = await verifyWith(swapped);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /: line 4 its prev is not the hash of line 3/);
  });

  test('the first line removed, a line cut short, and an unfinished run (said, not failed)', async () => {
    const { lines } = await recorded();
    assert.match((await verifyWith(lines.slice(1))).stdout, /line 1 does not start the chain/);
    const { root, file } = await recorded();
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, -20));
    const cut = await cli(['runs', 'verify', file], root);
    assert.equal(cut.code, 1);
    assert.match(cut.stdout, /line 14 the last line is cut short/);
    const unfinished = await verifyWith(lines.slice(0, -1));
    assert.equal(unfinished.code, 0);
    assert.match(unfinished.stdout, /the chain holds over 13 events; the run is unfinished \(its last event is step-done\): still going, or its end was cut off\n$/);
  });

  test('usage: no file, a missing file, an unknown subcommand', async () => {
    const root = setUp();
    assert.equal((await cli(['runs', 'verify'], root)).code, 2);
    const missing = await cli(['runs', 'verify', 'nope.jsonl'], root);
    assert.deepEqual([missing.code, missing.stderr.split('\n')[0]], [2, 'playbook: nope.jsonl cannot be read (no such file or directory)']);
    assert.match((await cli(['runs', 'verfy', 'x'], root)).stderr, /'runs verfy' is not a subcommand.*verify/);
  });
});

/** A webhook receiver on 127.0.0.1: answers each POST with the next status (the last one repeats), and keeps the bodies. */
async function receiver(statuses: number[]): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = [];
  let n = 0;
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      bodies.push(body);
      res.statusCode = statuses[Math.min(n++, statuses.length - 1)]!;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T0/B0/secretpath`, bodies, server };
}

describe('playbook run: notifications reach the webhook the policy names', () => {
  const POLICY = 'policy: 1\nnotify:\n  security: { webhook-env: SEC_WEBHOOK_URL }\nauto-notify-security: true\n';
  const io = (root: string) => {
    const out = { stdout: '', stderr: '' };
    return { out, io: { cwd: root, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), writeFile: async () => undefined } };
  };
  const answers = 'who: "@alice"\nsteps:\n  roll-back: { done: true, acknowledge-advisories: true }\n';

  test('the notify step and the automatic post after the rollback are delivered, a 500 retried; the record says so, without the URL', async () => {
    const hook = await receiver([500, 200]);
    try {
      const root = setUp({ '.playbooks/policy.yaml': POLICY, 'answers.yaml': answers });
      const { out, io: cliIo } = io(root);
      const code = await runPlaybookRun({ file: 'search.playbook.yaml', answers: 'answers.yaml', recordDir: undefined, policyFile: undefined, toolVersion: 't', env: { SEC_WEBHOOK_URL: hook.url }, delivery: { timeoutMs: 2000, backoffMs: [10] } }, cliIo);
      assert.equal(code, 0, out.stderr);
      const texts = hook.bodies.map((b) => (JSON.parse(b) as { text: string }).text);
      // The rollback's automatic post (first: a 500, then again), then the notify step's message.
      assert.equal(texts.length, 3);
      assert.match(texts[0]!, /^@alice marked done the rollback of search from 2\.17\.1 to 2\.14\.1, step 'roll-back' of search-rollback; 1 standing advisory on the target \(GHSA-jfh8-c2jp-5v3q CRITICAL\), acknowledged by @alice$/);
      assert.equal(texts[1], texts[0]);
      assert.equal(texts[2], 'search rolled back to 2.14.1');
      const file = records(root)[0]!;
      const log = events(file);
      const notes = log.filter((e) => e['type'] === 'notification');
      assert.deepEqual(notes.map((e) => [e['auto'], (e['delivery'] as { status: string; attempts: number }).status, (e['delivery'] as { attempts: number }).attempts]), [[true, 'delivered', 2], [false, 'delivered', 1]]);
      assert.ok(!readFileSync(file, 'utf8').includes('secretpath') && !readFileSync(file, 'utf8').includes('127.0.0.1'), 'no webhook URL in the record');
    } finally {
      hook.server.close();
    }
  });

  test('a receiver that is down until the run ends: the notifications stay queued and the end of the record lists them', async () => {
    const hook = await receiver([200]);
    hook.server.close();
    const root = setUp({ '.playbooks/policy.yaml': POLICY, 'answers.yaml': answers });
    const { out, io: cliIo } = io(root);
    const code = await runPlaybookRun({ file: 'search.playbook.yaml', answers: 'answers.yaml', recordDir: undefined, policyFile: undefined, toolVersion: 't', env: { SEC_WEBHOOK_URL: hook.url }, delivery: { timeoutMs: 500, backoffMs: [5] } }, cliIo);
    assert.equal(code, 0, out.stderr);
    const log = events(records(root)[0]!);
    const notes = log.filter((e) => e['type'] === 'notification');
    assert.deepEqual(notes.map((e) => (e['delivery'] as { status: string }).status), ['queued', 'queued']);
    assert.ok(notes.every((e) => !JSON.stringify(e).includes('secretpath')));
    assert.deepEqual(log.at(-1)!['undelivered'], [1, 2]);
  });

  test('a policy that names a variable that is not set: each notification stays queued, with the reason, and the run goes on', async () => {
    const root = setUp({ '.playbooks/policy.yaml': POLICY, 'answers.yaml': answers });
    const { io: cliIo } = io(root);
    assert.equal(await runPlaybookRun({ file: 'search.playbook.yaml', answers: 'answers.yaml', recordDir: undefined, policyFile: undefined, toolVersion: 't', env: {} }, cliIo), 0);
    const notes = events(records(root)[0]!).filter((e) => e['type'] === 'notification');
    assert.deepEqual(notes.map((e) => e['delivery']), [0, 1].map(() => ({ status: 'queued', attempts: 0, error: "`SEC_WEBHOOK_URL` (the webhook of the `security` channel) is not set in the environment" })));
    assert.deepEqual(events(records(root)[0]!).at(-1)!['undelivered'], [1, 2], 'never delivered: the run says so');
  });
});

describe('playbook runs report', () => {
  test('the SOC 2 evidence of a run, as Markdown and JSON; a broken chain is reported under a warning and evidences nothing', async () => {
    const root = setUp({ 'answers.yaml': 'who: "@alice"\nsteps:\n  security-gate: { approved-by: "@secops-oncall" }\n  roll-back: { done: true, acknowledge-advisories: true }\n' });
    assert.equal((await cli(['run', 'search.playbook.yaml', '--answers', 'answers.yaml'], root)).code, 0);
    const file = records(root)[0]!;
    const markdown = await cli(['runs', 'report', file], root);
    assert.equal(markdown.code, 0, markdown.stderr);
    assert.match(markdown.stdout, /^# /);
    assert.match(markdown.stdout, /GHSA-jfh8-c2jp-5v3q/);
    assert.match(markdown.stdout, /CC7\.3/);
    const json = await cli(['runs', 'report', file, '--format', 'json', '-o', 'evidence/report.json'], root);
    assert.equal(json.code, 0, json.stderr);
    assert.match(json.stdout, /report written to evidence\/report\.json/);
    const report = JSON.parse(readFileSync(path.join(root, 'evidence/report.json'), 'utf8')) as { record: { verified: boolean }; soc2Basis?: string };
    assert.equal(report.record.verified, true);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    lines[4] = lines[4]!.replace('"granted"', '"denied"');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const broken = JSON.parse((await cli(['runs', 'report', file, '--format', 'json'], root)).stdout) as { record: { verified: boolean; problem: string } };
    assert.deepEqual([broken.record.verified, broken.record.problem], [false, 'line 6 its prev is not the hash of line 5: line 5 was edited, or lines were removed or reordered']);
    assert.match((await cli(['runs', 'report', file, '--format', 'html'], root)).stderr, /--format must be one of markdown, json/);
  });

  test('the playbook the run followed is read as the run read it (a byte-order mark, the policy\'s size limit), and never from outside the folder the record names it from', async () => {
    const root = setUp({ 'answers.yaml': 'who: "@alice"\nsteps:\n  security-gate: { approved-by: "@secops-oncall" }\n  roll-back: { done: true, acknowledge-advisories: true }\n' });
    writeFileSync(path.join(root, 'search.playbook.yaml'), `\uFEFF${PLAYBOOK}`);
    assert.equal((await cli(['run', 'search.playbook.yaml', '--answers', 'answers.yaml'], root)).code, 0);
    const file = records(root)[0]!;
    const basis = async (): Promise<string> => (JSON.parse((await cli(['runs', 'report', file, '--format', 'json'], root)).stdout) as { soc2Basis: string }).soc2Basis;
    const followed = await basis();
    // The same record naming the playbook by a path that leads out of its folder: the file is there, with the same text, and is not read.
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const outside = path.join(path.dirname(root), `${path.basename(root)}-outside.playbook.yaml`);
    writeFileSync(outside, `\uFEFF${PLAYBOOK}`);
    lines[0] = lines[0]!.replace('"file":"search.playbook.yaml"', `"file":"../${path.basename(outside)}"`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const alone = await basis();
    assert.notEqual(alone, followed, `the report no longer knows the playbook: ${alone}`);
    assert.doesNotMatch(followed, /record alone/i, followed);
  });
});
