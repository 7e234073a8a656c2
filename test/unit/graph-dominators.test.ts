import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { guardingCheckpoint, guardingCheckpoints } from '../../server/src/core/graph/checkpointGuards.js';
import { computeDominators, dominatorTree } from '../../server/src/core/graph/dominators.js';
import { buildFlowGraph, reachableFrom } from '../../server/src/core/graph/flowGraph.js';
import { pathsFromEntry } from '../../server/src/core/graph/pathSpace.js';
import { isSecurityCheckpoint } from '../../server/src/core/graph/securitySteps.js';
import { parsePlaybook } from '../../server/src/core/parse/parsePlaybook.js';
import { DEFAULT_POLICY } from '../../server/src/core/policy/policy.js';
import { PB100 } from '../../server/src/core/rules/PB100.js';
import { playbook, runRule, SPEC_EXAMPLE } from './helpers/flowSecurity.js';

const PROPERTY_RUNS = { seed: 20260101, numRuns: 400 };

/** Graph from an edge list: successors per node. */
function fromEdges(size: number, edges: Array<[number, number]>): (n: number) => number[] {
  const out: number[][] = Array.from({ length: size }, () => []);
  for (const [a, b] of edges) out[a]!.push(b);
  return (n) => out[n] ?? [];
}

/** Reference definition: b is reachable from the entry, and removing a (a ≠ b) makes it unreachable. */
function bruteDominates(size: number, successors: (n: number) => number[], entry: number, a: number, b: number): boolean {
  const reach = (avoid: number): boolean[] => {
    const seen = new Array<boolean>(size).fill(false);
    if (entry === avoid) return seen;
    const stack = [entry];
    seen[entry] = true;
    while (stack.length) for (const w of successors(stack.pop()!)) if (w !== avoid && !seen[w]) { seen[w] = true; stack.push(w); }
    return seen;
  };
  const all = reach(-1);
  if (!all[a] || !all[b]) return false;
  return a === b || !reach(a)[b];
}

describe('dominatorTree', () => {
  const cases: Array<{ name: string; size: number; edges: Array<[number, number]>; entry?: number; idom: number[] }> = [
    { name: 'a diamond: the join is dominated by the fork only', size: 4, edges: [[0, 1], [0, 2], [1, 3], [2, 3]], idom: [-1, 0, 0, 0] },
    { name: 'a loop: the body is dominated by its header', size: 4, edges: [[0, 1], [1, 2], [2, 1], [2, 3]], idom: [-1, 0, 1, 2] },
    // Figure 4 of Cooper, Harvey and Kennedy (entry 5 here): an irreducible graph where all idoms are the entry.
    { name: 'the irreducible graph of the paper', size: 6, entry: 5, edges: [[5, 4], [5, 3], [4, 0], [3, 1], [3, 2], [0, 1], [1, 0], [1, 2], [2, 1]], idom: [5, 5, 5, 5, 5, -1] },
    { name: 'an unreachable node has no dominator', size: 3, edges: [[0, 1], [2, 1]], idom: [-1, 0, -1] },
    { name: 'out-of-range successors are ignored', size: 2, edges: [[0, 1], [0, 7], [1, -1]], idom: [-1, 0] },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual([...dominatorTree(c.size, c.entry ?? 0, fromEdges(c.size, c.edges)).idom], c.idom));
  }

  test('dominates is reflexive on reached nodes and false on unreached ones', () => {
    const d = dominatorTree(3, 0, fromEdges(3, [[0, 1], [2, 1]]));
    assert.deepEqual([d.dominates(0, 0), d.dominates(0, 1), d.dominates(1, 0), d.dominates(2, 2), d.dominates(0, 2), d.dominates(0, 9)], [true, true, false, false, false, false]);
  });

  test('agrees with the definition on random graphs, cycles included', () => {
    const graphs = fc.integer({ min: 1, max: 9 }).chain((size) =>
      fc.record({ size: fc.constant(size), edges: fc.array(fc.tuple(fc.nat(size - 1), fc.nat(size - 1)), { maxLength: size * 3 }) }));
    fc.assert(fc.property(graphs, ({ size, edges }) => {
      const successors = fromEdges(size, edges);
      const d = dominatorTree(size, 0, successors);
      for (let a = 0; a < size; a++) for (let b = 0; b < size; b++) assert.equal(d.dominates(a, b), bruteDominates(size, successors, 0, a, b), `${a} dom ${b} in ${JSON.stringify(edges)}`);
      for (let b = 1; b < size; b++) {
        const strict = Array.from({ length: size }, (_, a) => a).filter((a) => a !== b && d.dominates(a, b));
        if (!strict.length) { assert.equal(d.idom[b], -1); continue; }
        // The immediate dominator is the strict dominator that all the others dominate.
        assert.ok(strict.includes(d.idom[b]!) && strict.every((a) => d.dominates(a, d.idom[b]!)), `idom of ${b}`);
      }
    }), PROPERTY_RUNS);
  });

  test('a 5,000-node chain with a back edge needs no recursion', () => {
    const size = 5000;
    const d = dominatorTree(size, 0, (n) => (n + 1 < size ? [n + 1] : [0]));
    assert.equal(d.idom[size - 1], size - 2);
    assert.ok(d.dominates(0, size - 1) && d.dominates(2500, 4999) && !d.dominates(4999, 2500));
  });
});

describe('computeDominators over a playbook', () => {
  test('in the example playbook the gate dominates the rollback and the exit is dominated by the entry', () => {
    const parsed = parsePlaybook(SPEC_EXAMPLE);
    const graph = buildFlowGraph(parsed.model);
    const d = computeDominators(graph);
    // triage 0, security-gate 1, roll-back 2, tell-security 3, escalate 4, review 5, exit 6.
    assert.deepEqual([...d.idom], [-1, 0, 1, 2, 2, 4, 0]);
  });
});

describe('guardingCheckpoint', () => {
  const guardOf = (text: string, id: string): string | undefined => {
    const parsed = parsePlaybook(text);
    const graph = buildFlowGraph(parsed.model);
    const index = guardingCheckpoint(graph, parsed.model, DEFAULT_POLICY, graph.indexById.get(id)!);
    return index === undefined ? undefined : parsed.model.steps[index]!.id;
  };

  test('names the approved checkpoint on every path, and nothing before it', () => {
    for (const [id, guard] of [['triage', undefined], ['security-gate', undefined], ['roll-back', 'security-gate'], ['tell-security', 'security-gate'], ['review', 'security-gate']] as const) {
      assert.equal(guardOf(SPEC_EXAMPLE, id), guard, id);
    }
  });

  test('the nearest of two checkpoints in a row', () =>
    assert.equal(guardOf(playbook(`  - {id: scan, action: checkpoint, kind: vulnerability-scan}
  - {id: gate, action: checkpoint, kind: security-review}
  - {id: roll-back, action: rollback, service: api, to: 1.1.0}
`), 'roll-back'), 'gate'));

  test('a checkpoint that goes on when denied guards nothing', () =>
    assert.equal(guardOf(playbook(`  - {id: gate, action: checkpoint, kind: security-review, on-failure: continue}
  - {id: roll-back, action: rollback, service: api, to: 1.1.0}
`), 'roll-back'), undefined));

  test('a checkpoint kind the policy does not count guards nothing', () =>
    assert.equal(guardOf(playbook(`  - {id: approve, action: checkpoint, kind: change-approval}
  - {id: roll-back, action: rollback, service: api, to: 1.1.0}
`), 'roll-back'), undefined));

  test('two branches with one checkpoint each: no single checkpoint guards, yet PB100 finds every path guarded', () => {
    const text = playbook(`  - {id: triage, action: diagnose, run: x, on-failure: scan}
  - {id: gate, action: checkpoint, kind: security-review, next: roll-back}
  - {id: scan, action: checkpoint, kind: vulnerability-scan}
  - {id: roll-back, action: rollback, service: api, to: 1.1.0}
`);
    assert.equal(guardOf(text, 'roll-back'), undefined);
    assert.deepEqual(runRule(PB100, text), []);
  });

  test('an empty playbook has no guards', () => {
    const parsed = parsePlaybook('steps: []\n');
    assert.equal(guardingCheckpoints(buildFlowGraph(parsed.model), parsed.model, DEFAULT_POLICY).length, 0);
  });
});

/** Random flows of up to eight steps; `security` says how many security checkpoints they may hold. */
function randomPlaybooks(securityCheckpoints: 'one' | 'any'): fc.Arbitrary<string> {
  const actions = ['diagnose', 'rollback', 'approve', ...(securityCheckpoints === 'any' ? ['gate'] : [])];
  return fc.integer({ min: 1, max: 8 }).chain((size) => fc.record({
    kinds: fc.array(fc.constantFrom(...actions), { minLength: size, maxLength: size }),
    gateAt: fc.nat(size - 1),
    next: fc.array(fc.option(fc.nat(size - 1), { nil: undefined }), { minLength: size, maxLength: size }),
    failure: fc.array(fc.oneof(fc.constantFrom('abort', 'continue'), fc.nat(size - 1).map((n) => `s${n}`)), { minLength: size, maxLength: size }),
  })).map(({ kinds, gateAt, next, failure }) => playbook(kinds.map((kind, i) => {
    const action = securityCheckpoints === 'one' && i === gateAt ? 'gate' : kind;
    const body = { diagnose: 'action: diagnose, run: x', rollback: 'action: rollback, service: api, to: 1.1.0', approve: 'action: checkpoint, kind: change-approval', gate: 'action: checkpoint, kind: security-review' }[action];
    return `  - {id: s${i}, ${body}${next[i] === undefined ? '' : `, next: s${next[i]}`}, on-failure: ${failure[i]}}\n`;
  }).join('')));
}

describe('the dominator answer and the path analysis of PB100', () => {
  const analyse = (text: string) => {
    const parsed = parsePlaybook(text);
    const graph = buildFlowGraph(parsed.model);
    const isGate = parsed.model.steps.map((s) => isSecurityCheckpoint(s, DEFAULT_POLICY));
    const unapproved = pathsFromEntry(graph, (e) => !isGate[e.from] || e.kind === 'failure');
    return { parsed, graph, reached: reachableFrom(graph, 0), unapproved, guards: guardingCheckpoints(graph, parsed.model, DEFAULT_POLICY), isGate };
  };

  test('agree exactly when the playbook has a single security checkpoint', () =>
    fc.assert(fc.property(randomPlaybooks('one'), (text) => {
      const { parsed, reached, unapproved, guards } = analyse(text);
      const unguardedRollbacks: number[] = [];
      for (const step of parsed.model.steps) {
        if (!reached[step.index]) continue;
        assert.equal(guards[step.index]! >= 0, !unapproved.reaches(step.index), `step ${step.id} in\n${text}`);
        if (step.action === 'rollback' && guards[step.index] === -1) unguardedRollbacks.push(step.index);
      }
      assert.deepEqual(runRule(PB100, text).map((f) => f.stepIndex), unguardedRollbacks, text);
    }), PROPERTY_RUNS));

  test('with any number of checkpoints, a dominating approval always means PB100 finds the step guarded', () =>
    fc.assert(fc.property(randomPlaybooks('any'), (text) => {
      const { parsed, unapproved, guards, isGate } = analyse(text);
      for (const step of parsed.model.steps) {
        const guard = guards[step.index]!;
        if (guard < 0) continue;
        assert.ok(isGate[guard], `guard of ${step.id} is a security checkpoint`);
        assert.ok(!unapproved.reaches(step.index), `step ${step.id} in\n${text}`);
      }
    }), PROPERTY_RUNS));
});
