/**
 * The check pool when things go wrong: a worker that dies or throws on a file fails that file only,
 * with the reason in words, and the run finishes; a worker that cannot start leaves the work to
 * this thread; a stopped pool answers every file. Never a hang, never a stack trace.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { createFileChecker, MIN_FILES_PER_WORKER, poolSize, type FileChecker, type WorkerEntry } from '../../server/src/node/checkPool.js';
import type { CheckTask, TaskResult } from '../../server/src/node/checkTask.js';
import { playbook } from '../unit/helpers/findings.js';
import { cli, workspace } from './helpers.js';
import { run } from '../../server/src/cli/run.js';

/** A check worker that dies on files named `exit-*`, throws on `throw-*`, and checks the rest for real. */
const FAULTY_WORKER: WorkerEntry = path.join(__dirname, 'faultyCheckWorker.ts');
/** A worker script that is not there: no worker can start. */
const MISSING_WORKER: WorkerEntry = path.join(__dirname, 'no-such-worker.js');

const clean = playbook(`  - id: triage
    action: diagnose
    run: kubectl get pods
`);
const withError = clean.replace('action: diagnose', 'action: diagnos');

function tasksFor(dir: string, names: string[]): CheckTask[] {
  return names.map((name) => ({ file: path.join(dir, name), environment: { kind: 'discover', rootDir: dir } }));
}

async function checkAll(checker: FileChecker, tasks: CheckTask[]): Promise<TaskResult[]> {
  try {
    return await Promise.all(tasks.map((t) => checker.check(t)));
  } finally {
    await checker.close();
  }
}

const errorOf = (r: TaskResult): string | undefined => ('error' in r.check ? r.check.error : undefined);
const rulesOf = (r: TaskResult): string[] => ('findings' in r.check ? r.check.findings.map((f) => f.ruleId) : []);

describe('the check pool', () => {
  test('a worker that dies on a file, or throws, fails that file only, named with the reason and no stack; the others are checked, by its replacement after a death', async () => {
    const names = ['a.playbook.yaml', 'b.playbook.yaml', 'exit-c.playbook.yaml', 'd.playbook.yaml', 'throw-e.playbook.yaml', 'f.playbook.yaml', 'g.playbook.yaml'];
    const dir = workspace(Object.fromEntries(names.map((n) => [n, n.startsWith('d') ? withError : clean])));
    const checker = createFileChecker({ files: names.length, jobs: 2, worker: FAULTY_WORKER });
    assert.equal(checker.workers, 2);
    const results = await checkAll(checker, tasksFor(dir, names));
    assert.deepEqual(results.map((r) => r.check.file), names.map((n) => path.join(dir, n)), 'one answer per file, in the order asked');
    assert.equal(errorOf(results[2]!), 'could not be checked: the worker thread checking it stopped (exit code 3)');
    assert.equal(errorOf(results[4]!), 'could not be checked: the worker thread checking it stopped (boom in the worker)');
    assert.deepEqual(results.filter((r) => errorOf(r)).length, 2);
    assert.ok(rulesOf(results[3]!).includes('PB002'), 'the file after the crash is checked for real');
    assert.equal(checker.stats.inWorkers, 5);
  });

  test('workers that cannot start leave every file to this thread, with the same results', async () => {
    const names = ['a.playbook.yaml', 'b.playbook.yaml', 'c.playbook.yaml'];
    const dir = workspace({ 'a.playbook.yaml': clean, 'b.playbook.yaml': withError, 'c.playbook.yaml': clean });
    const checker = createFileChecker({ files: names.length, jobs: 2, worker: MISSING_WORKER });
    const results = await checkAll(checker, tasksFor(dir, names));
    assert.deepEqual(results.map(errorOf), [undefined, undefined, undefined]);
    assert.ok(rulesOf(results[1]!).includes('PB002'));
    assert.deepEqual(checker.stats, { inWorkers: 0, inThisThread: 3 });
  });

  test('a check that throws in this thread fails its file only', async () => {
    const dir = workspace({ 'a.playbook.yaml': clean, 'b.playbook.yaml': clean });
    const checker = createFileChecker({
      files: 2,
      jobs: 1,
      inProcess: async (task) => {
        if (task.file.endsWith('a.playbook.yaml')) throw new Error('a bug\n    at somewhere (file.ts:1:1)');
        return { check: { file: task.file, text: '', findings: [], suppressed: [] } };
      },
    });
    const results = await checkAll(checker, tasksFor(dir, ['a.playbook.yaml', 'b.playbook.yaml']));
    assert.equal(errorOf(results[0]!), 'could not be checked (internal error: a bug); please report this with the file');
    assert.equal(errorOf(results[1]!), undefined);
  });

  test('a stopped pool answers every file it was given, as not checked', async () => {
    const names = Array.from({ length: 6 }, (_, i) => `p${i}.playbook.yaml`);
    const dir = workspace(Object.fromEntries(names.map((n) => [n, clean])));
    const checker = createFileChecker({ files: names.length, jobs: 2, worker: FAULTY_WORKER });
    const pending = tasksFor(dir, names).map((t) => checker.check(t));
    await checker.close();
    const results = await Promise.all(pending);
    assert.equal(results.length, 6);
    for (const r of results) assert.equal(errorOf(r), 'could not be checked: the check was stopped');
    assert.equal(errorOf(await checker.check(tasksFor(dir, ['p0.playbook.yaml'])[0]!)), 'could not be checked: the check was stopped');
  });
});

describe('pool size', () => {
  const cases: Array<[files: number, jobs: number | undefined, expected: number | 'cores']> = [
    [0, undefined, 0],
    [1, 8, 0],
    [2, 1, 0],
    [2, 2, 2],
    [3, 8, 3],
    [MIN_FILES_PER_WORKER * 2 - 1, undefined, 0],
    [10_000, undefined, 'cores'],
  ];
  for (const [files, jobs, expected] of cases) {
    test(`${files} files, --jobs ${jobs ?? '(default)'}`, () => {
      const cores = availableParallelism();
      const want = expected === 'cores' ? (cores >= 2 ? cores : 0) : expected;
      assert.equal(poolSize(files, jobs), want);
    });
  }
});

describe('playbook check when a worker dies', () => {
  test('the file is reported on stderr, the run ends with exit 2, and every other file is reported as in one thread', async () => {
    const dir = workspace({ 'a.playbook.yaml': withError, 'exit-b.playbook.yaml': clean, 'c.playbook.yaml': withError, 'd.playbook.yaml': clean });
    let stdout = '';
    let stderr = '';
    const code = await run(['check', '--jobs', '2'], { cwd: dir, stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, writeFile: async () => undefined, checkWorker: FAULTY_WORKER });
    assert.equal(code, 2);
    assert.equal(stderr, 'playbook: exit-b.playbook.yaml: could not be checked: the worker thread checking it stopped (exit code 3)\n');
    const serial = await cli(['check', '--jobs', '1', 'a.playbook.yaml', 'c.playbook.yaml', 'd.playbook.yaml'], dir);
    assert.equal(stdout, serial.stdout);
  });
});
