/**
 * The paths a flow rule counts and lists (graph/pathSpace.ts), against a brute force that knows
 * nothing of the linear algorithms: loops found by pairwise reachability, every path enumerated.
 * A path is a sequence of stops (a loop is one stop); counts stop above the cap; the first paths
 * are listed shortest first, each a real path, none twice.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildFlowGraph, type FlowEdge, type FlowGraph } from '../../server/src/core/graph/flowGraph.js';
import { shownSteps, type FlowPath } from '../../server/src/core/graph/flowPaths.js';
import { PATH_COUNT_CAP, pathsFromEntry, pathsToExit, type PathSpace } from '../../server/src/core/graph/pathSpace.js';
import { parsePlaybook } from '../../server/src/core/parse/parsePlaybook.js';
import { playbook } from './helpers/flowSecurity.js';
import { bruteForce, reachSets, stopOf } from './helpers/pathBruteForce.js';

const graphOf = (text: string): FlowGraph => buildFlowGraph(parsePlaybook(text).model);
const all = (): boolean => true;

/** The stops a listed path shows (it is shown whole when short), checked to be a path of the graph. */
function stopsOf(g: FlowGraph, follows: (e: FlowEdge) => boolean, path: FlowPath, loopOf: (n: number) => number): number[] {
  assert.equal(path.omitted, 0, 'short paths are shown whole');
  const steps = shownSteps(path);
  const stops: number[] = [];
  steps.forEach((s, i) => {
    const next = steps[i + 1];
    const stop = loopOf(s.index);
    if (stops[stops.length - 1] !== stop) stops.push(stop);
    if (next && loopOf(next.index) !== stop) {
      const edges = g.out[s.index]!.filter((e) => follows(e) && e.to === next.index);
      assert.ok(edges.length > 0, `an allowed edge from ${s.index} to ${next.index}`);
      assert.equal(s.failed, edges.every((e) => e.kind === 'failure'), `step ${s.index} is marked as failing exactly when only its failure edge goes on`);
    }
  });
  return stops;
}

interface Shape { kinds: number[]; next: Array<number | undefined>; failure: Array<'abort' | 'continue' | number> }

const shapes = (maxSteps: number): fc.Arbitrary<Shape> => fc.integer({ min: 1, max: maxSteps }).chain((n) => fc.record({
  kinds: fc.array(fc.nat(3), { minLength: n, maxLength: n }),
  next: fc.array(fc.option(fc.nat(n - 1), { nil: undefined }), { minLength: n, maxLength: n }),
  failure: fc.array(fc.oneof(fc.constantFrom<'abort' | 'continue'>('abort', 'continue'), fc.nat(n - 1)), { minLength: n, maxLength: n }),
}));

function render({ kinds, next, failure }: Shape): string {
  const bodies = ['action: diagnose, run: x', 'action: rollback, service: api, to: 1.1.0', 'action: checkpoint, kind: security-review', 'action: notify, channel: security'];
  return playbook(kinds.map((k, i) => {
    const onFailure = typeof failure[i] === 'number' ? `s${failure[i]}` : failure[i];
    return `  - {id: s${i}, ${bodies[k]}${next[i] === undefined ? '' : `, next: s${next[i]}`}, on-failure: ${onFailure}}\n`;
  }).join(''));
}

function assertAgrees(g: FlowGraph, follows: (e: FlowEdge) => boolean, space: PathSpace, toExit: boolean, text: string): void {
  const from = (n: number): number => (toExit ? n : 0);
  const to = (n: number): number => (toExit ? g.exit : n);
  const size = g.exit + 1;
  const loops = stopOf(reachSets(g, follows));
  for (let node = 0; node < size; node++) {
    if (g.exit === 0) break;
    const expected = bruteForce(g, follows, from(node), to(node));
    const where = `node ${node} in\n${text}`;
    assert.equal(space.reaches(node), expected.length > 0, `reaches, ${where}`);
    assert.equal(space.count(node), Math.min(expected.length, PATH_COUNT_CAP + 1), `count, ${where}`);
    const listed = space.list(node, 5);
    assert.equal(listed.length, Math.min(expected.length, 5), `listed, ${where}`);
    const seen = new Set<string>();
    let previous = 0;
    listed.forEach((path, i) => {
      const stops = stopsOf(g, follows, path, loops);
      const full = toExit ? [...stops, loops(g.exit)] : stops; // paths to the exit leave the exit out
      const key = full.join(' ');
      assert.ok(expected.some((p) => p.join(' ') === key), `listed path ${i} [${key}] is a path, ${where}`);
      assert.ok(!seen.has(key), `listed path ${i} is listed once, ${where}`);
      seen.add(key);
      assert.ok(full.length >= previous, `shortest first, ${where}`);
      previous = full.length;
      if (i === 0) assert.equal(full.length, Math.min(...expected.map((p) => p.length)), `the first path is a shortest one, ${where}`);
    });
  }
}

describe('path counts and lists agree with a brute force', () => {
  test('from the entry, through every edge or around approvals (PB100)', () =>
    fc.assert(fc.property(shapes(10), (shape) => {
      const text = render(shape);
      const g = graphOf(text);
      const gate = shape.kinds.map((k) => k === 2);
      const approvesNothing = (e: FlowEdge): boolean => !gate[e.from] || e.kind === 'failure';
      for (const follows of [all, approvesNothing]) assertAgrees(g, follows, pathsFromEntry(g, follows), false, text);
    }), { numRuns: 300, seed: 20260214 }));

  test('to the exit, through every edge or around notifications (PB102, PB106)', () =>
    fc.assert(fc.property(shapes(10), (shape) => {
      const text = render(shape);
      const g = graphOf(text);
      const tells = shape.kinds.map((k) => k === 3);
      const uninformed = (e: FlowEdge): boolean => !tells[e.from];
      for (const follows of [all, uninformed]) assertAgrees(g, follows, pathsToExit(g, follows), true, text);
    }), { numRuns: 300, seed: 20260215 }));
});

describe('counting many paths', () => {
  /** `n` diamonds in a row: each step fails over to a step that joins the next one, so 2^n paths. */
  const diamonds = (n: number): string => playbook(Array.from({ length: n }, (_, i) =>
    `  - {id: a${i}, action: diagnose, run: x, on-failure: b${i}}\n  - {id: c${i}, action: diagnose, run: x, on-failure: continue, next: j${i}}\n  - {id: b${i}, action: diagnose, run: x, on-failure: continue}\n  - {id: j${i}, action: wait, duration: 1m, on-failure: continue}\n`).join('') +
    '  - {id: end, action: rollback, service: api, to: 1.1.0}\n');

  test('two ways through each of nine diamonds are 512 paths; ten are more than 1,000', () => {
    for (const [n, expected] of [[1, 2], [2, 4], [9, 512], [10, PATH_COUNT_CAP + 1], [40, PATH_COUNT_CAP + 1]] as const) {
      const g = graphOf(diamonds(n));
      assert.equal(pathsFromEntry(g, all).count(g.exit - 1), expected, `${n} diamonds`);
    }
  });

  /** The count and three paths to the last step of `n` diamonds (4n + 1 steps, 2^n paths), and the time taken (the best of three). */
  function countAndList(n: number): { listed: ReturnType<ReturnType<typeof pathsFromEntry>['list']>; ms: number } {
    const g = graphOf(diamonds(n));
    let best = Infinity;
    let listed: ReturnType<ReturnType<typeof pathsFromEntry>['list']> = [];
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      const space = pathsFromEntry(g, all);
      assert.equal(space.count(g.exit - 1), PATH_COUNT_CAP + 1);
      listed = space.list(g.exit - 1, 3);
      best = Math.min(best, performance.now() - start);
    }
    return { listed, ms: best };
  }

  test('a 5,000-step playbook of diamonds (2^1250 paths) is counted and listed in time that grows with its size, not its paths', () => {
    countAndList(150);
    const small = countAndList(156);
    const { listed, ms } = countAndList(1250);
    assert.equal(listed.length, 3);
    // Every way through 1,250 diamonds and to the last step is 3,751 stops long: each is shown by its ends.
    assert.deepEqual(listed.map((p) => [p.head.length, p.omitted, p.tail.length]), [[4, 3743, 4], [4, 3743, 4], [4, 3743, 4]]);
    assert.equal(new Set(listed.map((p) => JSON.stringify(p))).size, 3, 'three different paths');
    const g = graphOf(diamonds(1250));
    const space = pathsFromEntry(g, all);
    for (let node = 0; node < g.exit; node++) assert.ok(space.list(node, 3).length >= 1, `a path to step ${node}`);
    // Eight times the steps, side by side in one process: linear work takes about eight times as long, work per path or per pair of steps far more.
    const ratio = ms / Math.max(small.ms, 0.5);
    assert.ok(ratio < 24, `8x the steps took ${ratio.toFixed(1)}x the time (${small.ms.toFixed(1)} ms, then ${ms.toFixed(1)} ms)`);
  });
});
