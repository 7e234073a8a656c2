/**
 * Runs node test files (`node scripts/test-node.mjs test/unit/*.test.ts …`) with Node's test
 * runner, in a few processes rather than one per file.
 *
 * Why: a process per file pays, for every one of ~100 files, a fresh Node, the TypeScript loader,
 * loading the core and warming up its JIT, about one CPU-second each, nearly half of the suite's
 * CPU time on two cores. Node 20's runner cannot share processes itself (`--test-isolation=none`
 * is Node 22), so each shard is a small file that requires its share of the test files; the
 * runner still runs the shards side by side and reports every test by name.
 *
 * Each file runs inside a suite named after it, so its top-level hooks stay its own. What this asks
 * of a test file: nothing it changes at load time may leak into the others (set an environment
 * variable only when it is unset, restore what a test changes).
 *
 * `--isolate` runs one process per file, as before, to tell whether a failure comes from sharing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';

const args = process.argv.slice(2);
const isolate = args.includes('--isolate');
const files = [...new Set(args.filter((a) => !a.startsWith('--')).map((f) => path.resolve(f)))].sort();
if (files.length === 0) {
  console.error('usage: node scripts/test-node.mjs [--isolate] FILE.test.ts…');
  process.exit(2);
}

// One more process than cores: while one waits on a child process or a timer, the cores stay busy.
const concurrency = availableParallelism() + 1;
const dir = mkdtempSync(path.join(tmpdir(), 'playbook-test-shards-'));
let entries = files;
if (!isolate) {
  // Largest files first, each to the lightest shard: size is a fair proxy for a file's work.
  const shards = Array.from({ length: Math.min(concurrency, files.length) }, () => ({ size: 0, files: [] }));
  for (const file of [...files].sort((a, b) => statSync(b).size - statSync(a).size)) {
    const lightest = shards.reduce((min, s) => (s.size < min.size ? s : min));
    lightest.files.push(file);
    lightest.size += statSync(file).size;
  }
  entries = shards.map((shard, i) => {
    const entry = path.join(dir, `shard-${i + 1}.test.cjs`);
    // Each file inside a suite named after it: its top-level hooks (`after`, `beforeEach`) stay its own.
    const suites = shard.files.sort().map((f) => `describe(${JSON.stringify(path.relative(process.cwd(), f))}, () => require(${JSON.stringify(f)}));\n`);
    writeFileSync(entry, `const { describe } = require('node:test');\n${suites.join('')}`);
    return entry;
  });
}

const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...entries], {
  stdio: 'inherit',
  env: { ...process.env, PLAYBOOK_CACHE_DIR: 'off' },
});
rmSync(dir, { recursive: true, force: true });
process.exit(result.status ?? 1);
