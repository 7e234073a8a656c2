/**
 * Baselines in the core: a finding's key says what it is about and never where it is (steps
 * inserted above, re-indenting and reordering keep it; a changed value does not), the file format
 * (sorted, counted, validated) and the matching, which consumes counts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AdvisoryIndex } from '../../server/src/core/advisories/advisoryIndex.js';
import { parseOsvRecord } from '../../server/src/core/advisories/osvRecord.js';
import type { AdvisorySnapshot } from '../../server/src/core/advisories/snapshot.js';
import { baselineEntries, formatBaseline, markBaselined, parseBaseline, type BaselineEntry } from '../../server/src/core/baseline/baselineFile.js';
import { checkPlaybook, type CheckOptions } from '../../server/src/core/check.js';
import type { Finding } from '../../server/src/core/types.js';
import { fnv1a64 } from '../../server/src/core/util/fnv1a64.js';
import { npmRecord } from './helpers/osvRecords.js';
import { playbook } from './helpers/findings.js';

const FETCH = `  - id: fetch
    action: diagnose
    run: curl -fsSL https://get.example.com/i.sh | sh
`;
const INSECURE = `  - id: insecure
    action: diagnose
    run: |
      echo checking
      wget --no-check-certificate https://mirror.example.com/tool
`;
const ROLL_BACK = `  - id: roll-back
    action: rollback
    service: api
    to: 0.9.0
`;
const TRIAGE = `  - id: triage
    action: diagnose
    query: up
`;

/** The keys of the findings of rules that judge a step alone (not its place in the flow), as `rule<tab>flagged text<tab>fingerprint`. */
function keys(text: string, options: CheckOptions = {}): string[] {
  return checkPlaybook(text, { ...options, baseline: [] }).findings
    .filter((f) => ['PB104', 'PB105', 'PB108', 'PB101'].includes(f.ruleId))
    .map((f) => `${f.ruleId}\t${text.slice(f.range.start, f.range.end)}\t${f.baselineKey!.fingerprint}`)
    .sort();
}

function only(text: string, ruleId: string, options: CheckOptions = {}): Finding[] {
  return checkPlaybook(text, { ...options, baseline: [] }).findings.filter((f) => f.ruleId === ruleId);
}

const base = playbook(FETCH + INSECURE + ROLL_BACK);

describe('the fingerprint hash', () => {
  test('is FNV-1a 64 over UTF-8 (the published test vectors), so every machine and release computes the same', () => {
    assert.equal(fnv1a64(''), 'cbf29ce484222325');
    assert.equal(fnv1a64('a'), 'af63dc4c8601ec8c');
    assert.equal(fnv1a64('foobar'), '85944171f73967e8');
    assert.notEqual(fnv1a64('é'), fnv1a64('e'));
  });
});

describe('baseline keys carry no position', () => {
  test('every finding of a check given a baseline has a key: 16 hex digits and a readable hint', () => {
    const findings = checkPlaybook(base, { baseline: [] }).findings;
    assert.ok(findings.length >= 4);
    for (const f of findings) assert.match(f.baselineKey?.fingerprint ?? '', /^[0-9a-f]{16}$/, f.ruleId);
    assert.deepEqual(only(base, 'PB105').map((f) => f.baselineKey!.hint), [
      'steps[fetch].run: curl -fsSL https://get.example.com/i.sh | sh',
      'steps[insecure].run: --no-check-certificate',
    ]);
    assert.equal(only(base, 'PB108')[0]!.baselineKey!.hint, 'steps[roll-back].to: 0.9.0');
    assert.equal(checkPlaybook(base).findings[0]!.baselineKey, undefined, 'no baseline, no key');
  });

  test('steps inserted above keep every key', () => {
    const moved = playbook(TRIAGE + TRIAGE.replace('triage', 'look-again') + FETCH + INSECURE + ROLL_BACK);
    assert.deepEqual(keys(moved), keys(base));
  });

  test('re-indenting keeps every key, block scripts included: everything two spaces deeper, or the steps list not indented', () => {
    const deeper = base.split('\n').map((line) => (line.startsWith(' ') ? `  ${line}` : line)).join('\n');
    const indentless = base.replace(/\nsteps:\n[\s\S]*$/, (steps) => steps.split('\n').map((line) => line.replace(/^ {2}/, '')).join('\n'));
    for (const reindented of [deeper, indentless]) {
      assert.notEqual(reindented, base);
      assert.deepEqual(checkPlaybook(reindented).findings.filter((f) => f.ruleId === 'PB001' || f.ruleId === 'PB002'), [], reindented);
      assert.deepEqual(keys(reindented), keys(base));
    }
  });

  test('reordering the steps keeps every key', () => {
    const reordered = playbook(ROLL_BACK + INSECURE + FETCH);
    assert.deepEqual(keys(reordered), keys(base));
  });

  test('a key is told by the step id: a renamed step makes a new key', () => {
    const renamed = playbook(FETCH.replace('id: fetch', 'id: fetch-installer') + INSECURE + ROLL_BACK);
    const before = new Set(keys(base));
    assert.deepEqual(keys(renamed).filter((k) => !before.has(k)).map((k) => k.split('\t')[0]), ['PB105']);
  });

  test('changing the flagged value makes a new key; the other findings keep theirs', () => {
    const changed = playbook(FETCH.replace('i.sh', 'install.sh') + INSECURE + ROLL_BACK.replace('0.9.0', '0.9.1'));
    const before = new Set(keys(base));
    const fresh = keys(changed).filter((k) => !before.has(k));
    assert.deepEqual(fresh.map((k) => k.split('\t').slice(0, 2).join(' ')), ['PB105 curl -fsSL https://get.example.com/install.sh | sh', 'PB108 0.9.1']);
    assert.equal(keys(changed).length, keys(base).length);
  });

  test('the same text flagged in another field is another key', () => {
    const [a] = only(playbook(FETCH), 'PB105');
    const [b] = only(playbook(FETCH.replace('action: diagnose\n    run:', 'action: run\n    command:')), 'PB105');
    assert.equal(a!.baselineKey!.hint, 'steps[fetch].run: curl -fsSL https://get.example.com/i.sh | sh');
    assert.equal(b!.baselineKey!.hint, 'steps[fetch].command: curl -fsSL https://get.example.com/i.sh | sh');
    assert.notEqual(a!.baselineKey!.fingerprint, b!.baselineKey!.fingerprint);
  });
});

describe('baseline keys never hold a secret', () => {
  const withSecret = (secret: string): string => playbook(`  - id: call-api
    action: diagnose
    run: 'curl -H "Authorization: Bearer ${secret}" https://api.example.com/health'
`);
  const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

  test('the hint shows the place redacted, and the baseline file holds no trace of the secret', () => {
    const [f] = only(withSecret(TOKEN), 'PB104');
    assert.ok(f, 'PB104 flags the token');
    assert.equal(f.baselineKey!.hint, 'steps[call-api].run: \'curl -H "Authorization: Bearer •••" https://api.example.co…');
    const file = formatBaseline(baselineEntries('a.playbook.yaml', checkPlaybook(withSecret(TOKEN), { baseline: [] }).findings));
    assert.ok(!file.includes(TOKEN) && !file.includes('ghp_'), file);
  });

  test('the secret is not an input of the fingerprint: another token in the same place has the same key', () => {
    const [a] = only(withSecret(TOKEN), 'PB104');
    const [b] = only(withSecret('ghp_ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210'), 'PB104');
    assert.equal(a!.baselineKey!.fingerprint, b!.baselineKey!.fingerprint);
  });
});

describe('PB101: a new advisory is a new finding', () => {
  const snapshot = (...ids: string[]): AdvisorySnapshot => ({
    index: new AdvisoryIndex(ids.map((id) => {
      const parsed = parseOsvRecord(JSON.stringify(npmRecord(id, 'api', '1.1.0')), `${id}.json`);
      assert.ok('record' in parsed);
      return { record: parsed.record, source: `${id}.json` };
    })),
    sources: [],
    problems: [],
  });
  const rollBackTo = playbook(ROLL_BACK.replace('0.9.0', '1.0.0'));

  test('the same version with one more advisory: the old finding keeps its key, the new one has its own', () => {
    const one = only(rollBackTo, 'PB101', { advisories: snapshot('GHSA-aaaa-aaaa-aaaa') });
    const two = only(rollBackTo, 'PB101', { advisories: snapshot('GHSA-aaaa-aaaa-aaaa', 'GHSA-bbbb-bbbb-bbbb') });
    assert.equal(one.length, 1);
    assert.equal(two.length, 2);
    const entries = baselineEntries('a.playbook.yaml', one);
    const marked = checkPlaybook(rollBackTo, { advisories: snapshot('GHSA-aaaa-aaaa-aaaa', 'GHSA-bbbb-bbbb-bbbb'), baseline: entries }).findings.filter((f) => f.ruleId === 'PB101');
    assert.deepEqual(marked.map((f) => [f.data?.['advisory'], f.baselined ?? false]), [['GHSA-aaaa-aaaa-aaaa', true], ['GHSA-bbbb-bbbb-bbbb', false]]);
  });
});

describe('matching consumes counts', () => {
  const twice = playbook(FETCH + FETCH.replace('id: fetch', 'id: fetch').replace('  - id: fetch\n', '  - id: fetch\n'));

  test('two identical findings are one entry with count 2; a baseline of one leaves the second new', () => {
    const findings = only(twice, 'PB105');
    assert.equal(findings.length, 2, 'the same step id twice (PB003) flags the same command twice');
    const entries = baselineEntries('a.playbook.yaml', findings);
    assert.deepEqual(entries.map((e) => e.count), [2]);
    const once = [{ ...entries[0]!, count: 1 }];
    assert.deepEqual(markBaselined(findings, once).map((f) => f.baselined ?? false), [true, false]);
    assert.deepEqual(markBaselined(findings, entries).map((f) => f.baselined ?? false), [true, true]);
  });

  test('an entry matches only its rule and fingerprint; entries for findings that are gone are harmless', () => {
    const findings = only(base, 'PB105');
    const stale: BaselineEntry = { file: 'a.playbook.yaml', ruleId: 'PB105', fingerprint: '0123456789abcdef', hint: 'steps[gone].run: x', count: 3 };
    const otherRule: BaselineEntry = { ...baselineEntries('a.playbook.yaml', findings)[0]!, ruleId: 'PB104' };
    assert.deepEqual(markBaselined(findings, [stale, otherRule]).map((f) => f.baselined ?? false), [false, false]);
  });

  test('the check marks baselined findings after suppressions: they stay findings, at their severity', () => {
    const entries = baselineEntries('a.playbook.yaml', only(base, 'PB105'));
    const result = checkPlaybook(base, { baseline: entries });
    assert.deepEqual(result.findings.filter((f) => f.baselined).map((f) => [f.ruleId, f.severity]), [['PB105', 'warning'], ['PB105', 'warning']]);
    assert.ok(result.findings.some((f) => f.ruleId === 'PB108' && !f.baselined));
  });
});

describe('the baseline file', () => {
  const entry = (file: string, ruleId: string, fingerprint: string, count = 1): BaselineEntry => ({ file, ruleId, fingerprint, hint: `${file} ${ruleId}`, count });

  test('sorted by file, rule and fingerprint in code-unit order whatever the input order; count only above 1', () => {
    const entries = [entry('b.playbook.yaml', 'PB105', 'ffffffffffffffff'), entry('a/Z.playbook.yaml', 'PB108', '0000000000000001', 2), entry('a/Z.playbook.yaml', 'PB105', '0000000000000002'), entry('B.playbook.yaml', 'PB100', '0000000000000003')];
    const text = formatBaseline(entries);
    assert.equal(text, formatBaseline([...entries].reverse()));
    assert.ok(text.endsWith('}\n') && !text.endsWith('\n\n'));
    const parsed = JSON.parse(text) as { version: number; tool: string; entries: Array<Record<string, unknown>> };
    assert.equal(parsed.version, 1);
    assert.equal(parsed.tool, 'playbook');
    assert.deepEqual(parsed.entries.map((e) => `${String(e['file'])} ${String(e['ruleId'])} ${String(e['count'] ?? '-')}`), ['B.playbook.yaml PB100 -', 'a/Z.playbook.yaml PB105 -', 'a/Z.playbook.yaml PB108 2', 'b.playbook.yaml PB105 -']);
    assert.deepEqual(Object.keys(parsed.entries[2]!), ['file', 'ruleId', 'fingerprint', 'hint', 'count']);
  });

  test('reads back what it writes; entries repeated by a hand merge add their counts', () => {
    const entries = [entry('a.playbook.yaml', 'PB105', '0123456789abcdef', 2), entry('a.playbook.yaml', 'PB105', '0123456789abcdef')];
    const read = parseBaseline(formatBaseline(entries));
    assert.ok('baseline' in read, JSON.stringify(read));
    assert.deepEqual(read.baseline.entries, [entry('a.playbook.yaml', 'PB105', '0123456789abcdef', 3)]);
  });

  test('what is wrong with a file is said in one line', () => {
    const good = { version: 1, tool: 'playbook', entries: [{ file: 'a.playbook.yaml', ruleId: 'PB105', fingerprint: '0123456789abcdef', hint: 'x' }] };
    const problem = (text: string): string => {
      const read = parseBaseline(text);
      assert.ok('problem' in read, text);
      assert.ok(!read.problem.includes('\n'), read.problem);
      return read.problem;
    };
    assert.match(problem('{"version": 1,'), /^is not valid JSON \(/);
    assert.match(problem(''), /^is not valid JSON/);
    assert.match(problem('[]'), /^is not a playbook baseline: it has no `"tool": "playbook"`/);
    assert.match(problem(JSON.stringify({ ...good, tool: 'eslint' })), /^is not a playbook baseline/);
    assert.match(problem(JSON.stringify({ ...good, version: 2 })), /^is a baseline of format version 2, and this playbook reads version 1: write it again with `playbook check --write-baseline FILE`$/);
    assert.match(problem(JSON.stringify({ ...good, version: undefined })), /format version null/);
    assert.match(problem(JSON.stringify({ ...good, entries: {} })), /^has no `entries` list$/);
    const withEntry = (patch: Record<string, unknown>): string => JSON.stringify({ ...good, entries: [good.entries[0], { ...good.entries[0], ...patch }] });
    assert.match(problem(withEntry({ fingerprint: 'abc' })), /^entry 2: `fingerprint` must be 16 hexadecimal digits \(got "abc"\)$/);
    assert.match(problem(withEntry({ ruleId: 'E501' })), /^entry 2: `ruleId` must be a rule id/);
    assert.match(problem(withEntry({ file: '/abs/a.playbook.yaml' })), /^entry 2: `file` must be relative to the baseline's folder, with forward slashes/);
    assert.match(problem(withEntry({ file: 'a\\b.playbook.yaml' })), /forward slashes/);
    assert.match(problem(withEntry({ count: 0 })), /^entry 2: `count` must be a whole number from 1 \(got 0\)$/);
    assert.match(problem(JSON.stringify({ ...good, entries: [7] })), /^entry 1: is not an object$/);
  });

  test('a file with no entries is a baseline with none', () => {
    const read = parseBaseline(formatBaseline([]));
    assert.deepEqual(read, { baseline: { entries: [] } });
  });
});
