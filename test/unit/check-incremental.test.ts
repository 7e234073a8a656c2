/**
 * Property: a check that builds on the previous version's (an incremental re-parse, and the rules
 * that read nothing the edit changed keeping their findings) gives exactly what a full check of
 * the new text gives: every finding, suppressed finding, range, message and datum. The playbooks
 * are the examples and the quick-fix fixtures, checked with real advisories, the examples' SBOMs
 * and VEX statement, and the examples' policy, so every rule has findings to keep or lose. A rule
 * that declares too little in `reads` fails here.
 *
 * A fixed seed in `npm test`; `npm run fuzz` runs many more (FUZZ_RUNS, FUZZ_SEED to replay).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { isMap, isScalar, type Node } from 'yaml';
import { AdvisoryIndex, parseOsvRecord } from '../../server/src/core/advisories/index.js';
import type { AdvisorySnapshot } from '../../server/src/core/advisories/snapshot.js';
import { checkParsed, checkPlaybook, parseForCheck, type CheckOptions, type CheckResult } from '../../server/src/core/check.js';
import type { FlowEdge, FlowGraph } from '../../server/src/core/graph/flowGraph.js';
import type { ParsedPlaybook } from '../../server/src/core/parse/model.js';
import { parsePlaybook } from '../../server/src/core/parse/parsePlaybook.js';
import { parsePolicy } from '../../server/src/core/policy/parsePolicy.js';
import type { ReleaseData, SbomEntry } from '../../server/src/core/releases/releaseStatus.js';
import { parseSbom } from '../../server/src/core/releases/sbomParse.js';
import { parseVex } from '../../server/src/core/releases/vexParse.js';
import { RULES, RULES_BY_ID } from '../../server/src/core/rules/index.js';
import { NEW_STEPS, structuralEdit, type StructuralEdit } from './helpers/stepEdits.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 120);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : process.env['FUZZ_RUNS'] ? Date.now() : 20261206;

const EXAMPLES = path.join(__dirname, '../../examples');
const FIXES = path.join(__dirname, '../fixtures/fixes');
const SBOM_FIXTURES = path.join(__dirname, '../fixtures/sbom');
const read = (file: string): string => readFileSync(file, 'utf8');
const jsonIn = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f));

const seeds = [
  ...readdirSync(EXAMPLES).filter((f) => f.endsWith('.playbook.yaml')).map((f) => read(path.join(EXAMPLES, f))),
  ...readdirSync(FIXES).filter((f) => f.endsWith('.before.playbook.yaml')).map((f) => read(path.join(FIXES, f))),
].filter((text) => parsePlaybook(text).incremental);

function advisories(): AdvisorySnapshot {
  const inputs = [...jsonIn(path.join(EXAMPLES, '.playbooks/advisories')), ...jsonIn(path.join(SBOM_FIXTURES, 'osv'))].map((file) => {
    const parsed = parseOsvRecord(read(file), file);
    assert.ok('record' in parsed, file);
    return { record: parsed.record, source: file };
  });
  return { index: new AdvisoryIndex(inputs), sources: [], problems: [] };
}

function releases(): ReleaseData {
  const sbom = (file: string): SbomEntry => {
    const parsed = parseSbom(read(file));
    assert.ok(!('problem' in parsed), file);
    return { file, sbom: parsed };
  };
  const named = new Map(readdirSync(path.join(EXAMPLES, 'sboms/checkout')).map((f) => [`sboms/checkout/${f}`, sbom(path.join(EXAMPLES, 'sboms/checkout', f))]));
  // One SBOM that cannot be used: PB110 reports it on the \`sbom\` that names it, a finding kept across keystrokes elsewhere (rules/sbomProblems.ts).
  named.set('sboms/checkout/2.4.0.cdx.json', { file: path.join(EXAMPLES, 'sboms/checkout/2.4.0.cdx.json'), problem: 'is not valid JSON (a test of a broken SBOM)' });
  const vexFile = path.join(EXAMPLES, '.playbooks/vex/checkout.openvex.json');
  const vex = parseVex(read(vexFile));
  assert.ok(!('problem' in vex), 'the examples\' VEX document parses');
  return { named, found: [sbom(path.join(SBOM_FIXTURES, 'dropwizard-1.3.15.cdx.json'))], vex: [{ file: vexFile, statements: vex.statements }] };
}

const ENVIRONMENT: Omit<CheckOptions, 'previous'> = {
  policy: parsePolicy(read(path.join(EXAMPLES, '.playbooks/policy.yaml'))).policy,
  advisories: advisories(),
  releases: releases(),
  now: new Date('2026-12-06T08:00:00Z'),
};

/** What a typist produces, YAML's special characters and the words that change findings included. */
const SPICE = ['a', 'x', ' ', ':', '-', '\n', '\n    ', '\n  - ', '#', '# playbook-ignore PB100 -- reviewed', '"', '[', '2.3.0', '2.4.0', ', 2.3.0', 'security', 'rollback', 'notify', 'checkpoint', 'on-failure: abort', 'next: ', '\n  security: "#sec"', 'AKIAIOSFODNN7EXAMPLE'];

/** Where an edit lands: anywhere, inside a step, or inside the value of another top-level block. */
const edit = fc.record({
  where: fc.constantFrom('anywhere', 'step', 'block', 'block', 'steps'),
  pick: fc.double({ min: 0, max: 1, noNaN: true }),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 3 }) }, { weight: 1, arbitrary: fc.nat({ max: 20 }) }),
  insert: fc.oneof({ weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9 .-]{0,4}$/) }, { weight: 2, arbitrary: fc.constantFrom(...SPICE) }),
  structure: fc.record({ kind: fc.constantFrom<StructuralEdit['kind']>('insert', 'remove', 'duplicate', 'cut'), pick: fc.double({ min: 0, max: 1, noNaN: true }), other: fc.double({ min: 0, max: 1, noNaN: true }), step: fc.constantFrom(...NEW_STEPS) }),
});

type Edit = { where: string; pick: number; at: number; remove: number; insert: string; structure: StructuralEdit };

/** The text after edit `e`: typing somewhere, or whole steps added, removed, duplicated or cut across (`steps`). */
function applyEdit(parsed: ParsedPlaybook, e: Edit): string {
  const text = parsed.text;
  if (e.where === 'steps') return structuralEdit(parsed, e.structure) ?? text;
  const ranges = e.where === 'step' ? parsed.model.steps.map((s) => s.range) : e.where === 'block' ? blockValues(parsed) : [];
  const range = ranges.length ? ranges[Math.min(ranges.length - 1, Math.floor(e.pick * ranges.length))]! : { start: 0, end: text.length };
  const at = range.start + Math.floor(e.at * (range.end - range.start));
  return text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
}

function blockValues(parsed: ParsedPlaybook): Array<{ start: number; end: number }> {
  const root = parsed.yaml?.contents;
  if (!isMap(root)) return [];
  return root.items.flatMap((pair) => {
    const range = (pair.value as Node | null)?.range;
    return range && isScalar(pair.key) && pair.key.value !== 'steps' ? [{ start: range[0], end: range[1] }] : [];
  });
}

/** A flow graph as plain data: every edge with the range of the node that made it. */
function graphShape(graph: FlowGraph): unknown {
  const edge = (e: FlowEdge): unknown => [e.from, e.to, e.kind, e.node?.range];
  return {
    exit: graph.exit,
    out: graph.out.map((edges) => edges.map(edge)),
    in: graph.in.map((edges) => edges.map(edge)),
    indexById: [...graph.indexById],
    requires: graph.requires.map((list) => list.map((r) => [r.target, r.node.range])),
  };
}

/** Everything a check hands an adapter, as plain data. */
const outcome = (result: CheckResult): unknown => ({ findings: result.findings, suppressed: result.suppressed });

/** Runs a chain of edits, each version checked on the previous one's; returns how many versions reused some rule's findings. */
function chain(seed: string, edits: Edit[], nowFor: (version: number) => Date): { versions: number; reused: number } {
  let previous = checkParsed(parseForCheck(seed, ENVIRONMENT), { ...ENVIRONMENT, now: nowFor(0) });
  let reused = 0;
  edits.forEach((e, k) => {
    const next = applyEdit(previous.parsed, e);
    const options = { ...ENVIRONMENT, now: nowFor(k + 1) };
    const parsed = parseForCheck(next, { ...options, previous: previous.parsed });
    if (parsed.change) reused++;
    const incremental = checkParsed(parsed, options);
    const full = checkPlaybook(next, options);
    assert.deepEqual(outcome(incremental), outcome(full), `version ${k + 1} (${e.where} edit)`);
    assert.deepEqual(graphShape(incremental.graph()), graphShape(full.graph()), `version ${k + 1}: the flow graph`);
    previous = incremental;
  });
  return { versions: edits.length, reused };
}

describe(`incremental check properties (seed ${SEED}, ${RUNS} runs)`, () => {
  test('each version of a random chain of edits has the findings of a full check', () => {
    let versions = 0;
    let reused = 0;
    fc.assert(fc.property(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 8 }), (seed, edits) => {
      const counts = chain(seed, edits, () => ENVIRONMENT.now!);
      versions += counts.versions;
      reused += counts.reused;
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
    // Not vacuous: many versions built on the one before, so rules kept findings.
    assert.ok(reused / versions > 0.2, `${reused} of ${versions} versions built on the one before`);
  });

  test('the same when each check has its own time, as in the editor (rules that read the time run again)', () => {
    fc.assert(fc.property(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 6 }), (seed, edits) => {
      chain(seed, edits, (version) => new Date(Date.parse('2026-12-06T08:00:00Z') + version * 37 * 86_400_000));
    }), { numRuns: Math.ceil(RUNS / 3), seed: SEED, endOnFailure: true });
  });
});

/** `work`'s result, and which rules' checks it ran: for each, the number of steps each call saw. */
function checksRun<T>(work: () => T): { result: T; calls: Map<string, number[]> } {
  const calls = new Map<string, number[]>();
  const restore = RULES.map((rule) => {
    const check = rule.check;
    (rule as { check: typeof check }).check = (context) => (calls.set(rule.id, [...(calls.get(rule.id) ?? []), context.parsed.model.steps.length]), check(context));
    return () => ((rule as { check: typeof check }).check = check);
  });
  try {
    return { result: work(), calls };
  } finally {
    restore.forEach((r) => r());
  }
}

describe('rule reuse', () => {
  const SBOM_ROLLBACK = read(path.join(EXAMPLES, 'sbom-rollback.playbook.yaml'));

  test('every rule says what it reads', () => {
    for (const rule of RULES) assert.ok(rule.reads.length > 0, rule.id);
  });

  test('a title edit re-runs only the rules that read the whole document; the others keep their findings, moved', () => {
    const first = checkPlaybook(SBOM_ROLLBACK, ENVIRONMENT);
    const next = SBOM_ROLLBACK.replace(/^title: /m, 'title: Longer, ');
    const { result: second, calls } = checksRun(() => checkPlaybook(next, { ...ENVIRONMENT, previous: first.parsed }));
    assert.ok(second.parsed.change, 'the title edit took the incremental path');
    assert.deepEqual([...calls.keys()].sort(), RULES.filter((r) => r.reads.includes('document')).map((r) => r.id).sort());
    assert.deepEqual(outcome(second), outcome(checkPlaybook(next, ENVIRONMENT)));
    assert.ok(second.findings.some((f) => f.ruleId === 'PB101'), 'PB101 findings were kept (moved by the edit)');
  });

  test('a services edit re-runs the rules that read services, not the path analyses', () => {
    const first = checkPlaybook(SBOM_ROLLBACK, ENVIRONMENT);
    const next = SBOM_ROLLBACK.replace('current: 2.4.0', 'current: 2.4.1');
    const { result: second, calls } = checksRun(() => checkPlaybook(next, { ...ENVIRONMENT, previous: first.parsed }));
    assert.equal(second.parsed.change?.key, 'services');
    for (const id of ['PB005', 'PB101', 'PB108', 'PB110', 'PB111']) assert.ok(calls.has(id), `${id} ran`);
    for (const id of ['PB100', 'PB102', 'PB106', 'PB006', 'PB007']) assert.ok(!calls.has(id), `${id} kept its findings`);
    assert.deepEqual(outcome(second), outcome(checkPlaybook(next, ENVIRONMENT)));
  });

  test('an edit inside a step that keeps its id and its edges patches that step into the previous flow graph', () => {
    const text = 'playbook: p\ntitle: t\nowners: { sre: "@a", security: "@b" }\nsteps:\n  - id: look\n    action: diagnose\n    run: kubectl get pods\n    on-failure: page\n    next: fix\n  - id: page\n    action: escalate\n    to: oncall\n  - id: fix\n    action: restart\n    run: kubectl rollout restart deploy/api\n    on-failure: page\n';
    const first = checkPlaybook(text);
    const before = first.graph();
    const next = text.replace('get pods', 'get pods -n shop');
    const second = checkPlaybook(next, { previous: first.parsed });
    assert.equal(second.parsed.change?.stepIndex, 0);
    const after = second.graph();
    assert.notEqual(after, before, 'a new graph');
    assert.equal(after.out[2], before.out[2], 'the other steps\' edges are the same objects');
    assert.deepEqual(graphShape(after), graphShape(checkPlaybook(next).graph()), 'every edge, incoming ones included, points at the new nodes');
    const retargeted = next.replace('on-failure: page\n    next: fix', 'on-failure: fix\n    next: fix');
    assert.deepEqual(graphShape(checkPlaybook(retargeted, { previous: second.parsed }).graph()), graphShape(checkPlaybook(retargeted).graph()), 'an edge that leads elsewhere: built afresh');
  });

  test('an edit inside one step: the step-local rules check that step alone and keep the others\' findings', () => {
    const first = checkPlaybook(SBOM_ROLLBACK, ENVIRONMENT);
    const next = SBOM_ROLLBACK.replace('code=~"5.."}[5m]', 'code=~"5.."}[10m]');
    assert.notEqual(next, SBOM_ROLLBACK, 'the example has the diagnose step\'s query');
    const { result: second, calls } = checksRun(() => checkPlaybook(next, { ...ENVIRONMENT, previous: first.parsed }));
    assert.equal(typeof second.parsed.change?.stepIndex, 'number');
    const stepLocal = [...calls].filter(([id]) => RULES_BY_ID.get(id)?.stepLocal);
    assert.deepEqual(stepLocal.map(([id]) => id).sort(), ['PB005', 'PB101', 'PB108', 'PB111']);
    for (const [id, sizes] of stepLocal) assert.deepEqual(sizes, [1], `${id} saw the edited step only`);
    assert.deepEqual(outcome(second), outcome(checkPlaybook(next, ENVIRONMENT)));
    assert.ok(second.findings.some((f) => f.ruleId === 'PB101'), 'the rollback\'s PB101 finding was kept');
  });

  test('other advisories, SBOMs or another policy: nothing is reused', () => {
    const first = checkPlaybook(SBOM_ROLLBACK, ENVIRONMENT);
    const next = SBOM_ROLLBACK.replace(/^title: /m, 'title: x');
    const fewer: AdvisorySnapshot = { index: new AdvisoryIndex([]), sources: [], problems: [] };
    const second = checkPlaybook(next, { ...ENVIRONMENT, advisories: fewer, previous: first.parsed });
    assert.deepEqual(outcome(second), outcome(checkPlaybook(next, { ...ENVIRONMENT, advisories: fewer })));
    assert.ok(!second.findings.some((f) => f.ruleId === 'PB101'), 'with no advisories, no PB101 finding is kept');
  });
});
