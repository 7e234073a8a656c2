import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { declaredZip } from '../unit/helpers/zips.js';
import { cli, workspace } from './helpers.js';

const FIXTURES = path.join(__dirname, '../fixtures/osv');
const record = (id: string): string => readFileSync(path.join(FIXTURES, `${id}.json`), 'utf8');
const INDEX = '.playbooks/osv.zip.playbook-index';
const SKIPPED = 'advisories: skipped (not a zip: a folder or file is kept in the per-user cache instead)';

const created: string[] = [];
after(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A policy naming a zip of three real records and a broken entry, then a folder of one (or only the zip). */
function indexWorkspace(advisories = '[osv.zip, advisories]'): string {
  const dir = workspace({
    '.playbooks/policy.yaml': `policy: 1\nadvisories: ${advisories}\n`,
    '.playbooks/osv.zip': declaredZip({
      'GHSA-35jh-r3h4-6jhm.json': record('GHSA-35jh-r3h4-6jhm'),
      'GHSA-jf85-cpcp-j695.json': record('GHSA-jf85-cpcp-j695'),
      'GHSA-jfh8-c2jp-5v3q.json': record('GHSA-jfh8-c2jp-5v3q'),
      'broken.json': '{ "id": "BROKEN", "affected": [',
    }),
    '.playbooks/advisories/GHSA-7rjr-3q55-vv33.json': record('GHSA-7rjr-3q55-vv33'),
  });
  created.push(dir);
  return dir;
}

/** Moves the workspace to a new path (so the index names paths that are no longer there). */
function moved(dir: string): string {
  const to = path.join(path.dirname(dir), `moved-${path.basename(dir)}`);
  renameSync(dir, to);
  created.push(to);
  return to;
}

const wrote = (parsed: number, unchanged: number): string =>
  `osv.zip: wrote ${INDEX} (0.0 MB): 4 entries, 3 records; ${parsed} parsed, ${unchanged} unchanged from the previous index; 1 problem (see 'playbook advisories')`;

describe('playbook advisories --write-index', () => {
  test('writes the index beside the zip, skips the folder; a second run takes every entry from the first index', async () => {
    const dir = indexWorkspace();
    const first = await cli(['advisories', '--write-index'], dir);
    assert.deepEqual(first, { code: 0, stdout: `${wrote(4, 0)}\n${SKIPPED}\n`, stderr: '' });
    assert.ok(existsSync(path.join(dir, INDEX)));
    const second = await cli(['advisories', '--write-index'], dir);
    assert.deepEqual(second, { code: 0, stdout: `${wrote(0, 4)}\n${SKIPPED}\n`, stderr: '' });
  });

  test('--format json: one result per source', async () => {
    const dir = indexWorkspace();
    const r = await cli(['advisories', '--write-index', '--format', 'json'], dir);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), {
      policy: '.playbooks/policy.yaml',
      indexes: [
        { entry: 'osv.zip', file: INDEX, bytes: statSync(path.join(dir, INDEX)).size, entries: 4, records: 3, parsed: 4, reused: 0, problems: 1 },
        { entry: 'advisories', skipped: 'not a zip: a folder or file is kept in the per-user cache instead' },
      ],
    });
  });

  test('a zip that is not there: exit 2, and stderr says why; the other zip is still indexed', async () => {
    const dir = indexWorkspace('[gone.zip, osv.zip]');
    const r = await cli(['advisories', '--write-index'], dir);
    assert.deepEqual(r, { code: 2, stdout: `${wrote(4, 0)}\n`, stderr: 'playbook: gone.zip: no index written: cannot be read: no such file or directory\n' });
    assert.ok(existsSync(path.join(dir, INDEX)));
  });

  test('with --package or --version: a usage error, nothing written', async () => {
    const dir = indexWorkspace();
    for (const flags of [['--package', 'pkg:npm/lodash'], ['--version', '1.0.0']]) {
      const r = await cli(['advisories', '--write-index', ...flags], dir);
      assert.equal(r.code, 2, flags[0]);
      assert.match(r.stderr, /^playbook: --write-index takes no --package or --version\n/, flags[0]);
      assert.equal(r.stdout, '', flags[0]);
    }
    assert.ok(!existsSync(path.join(dir, INDEX)));
  });
});

describe('playbook advisories with an index written elsewhere', () => {
  const questions = [['advisories'], ['advisories', '--package', 'pkg:npm/lodash', '--version', '4.17.11'], ['advisories', '--package', 'pkg:maven/org.apache.logging.log4j/log4j-core', '--format', 'json']];

  /** Each question's output in `dir`, then again with the index set aside. */
  async function withAndWithout(dir: string): Promise<{ withIndex: string[]; without: string[] }> {
    const ask = async (): Promise<string[]> => {
      const out: string[] = [];
      for (const argv of questions) out.push((await cli(argv, dir)).stdout);
      return out;
    };
    const withIndex = await ask();
    rmSync(path.join(dir, INDEX));
    return { withIndex, without: await ask() };
  }

  test('after the workspace moved: the same records, sources and problems as without the index', async () => {
    const before = indexWorkspace();
    assert.equal((await cli(['advisories', '--write-index'], before)).code, 0);
    const dir = moved(before);
    const { withIndex, without } = await withAndWithout(dir);
    assert.deepEqual(withIndex, without);
    assert.match(withIndex[0]!, /^ {2}osv\.zip \(\.playbooks\/osv\.zip\): zip, 3 records$/m);
    assert.match(withIndex[0]!, /^ {2}warning \.playbooks\/osv\.zip!broken\.json: not valid JSON .*skipped$/m);
    assert.match(withIndex[1]!, /^ {6}from \.playbooks\/osv\.zip!GHSA-jf85-cpcp-j695\.json$/m);
    assert.ok(!withIndex.join('').includes(before), 'nothing names where the index was written');
  });

  test('the index written again after the move, the zip alone: records are from the zip where it is now', async () => {
    const before = indexWorkspace('[osv.zip]');
    assert.equal((await cli(['advisories', '--write-index'], before)).code, 0);
    const dir = moved(before);
    const rewritten = await cli(['advisories', '--write-index'], dir);
    assert.equal(rewritten.stdout, `${wrote(0, 4)}\n`);
    const { withIndex, without } = await withAndWithout(dir);
    assert.match(withIndex[1]!, /^ {6}from \.playbooks\/osv\.zip!GHSA-jf85-cpcp-j695\.json$/m);
    assert.ok(!withIndex.join('').includes(before), 'nothing names where the first index was written');
    assert.deepEqual(withIndex, without);
  });
});
