/**
 * The flow view and the path rules agree, on generated playbooks. For every PB100, PB102 and PB106
 * finding, the view focused on it lights up what violationPaths gives, and that is exactly the flow
 * edges that lie on some path breaking the rule (each lit edge is on one, and every such edge is
 * lit); every path the finding lists lies inside what is lit; and the rule flags a step exactly when
 * such a path exists, counting as many paths as a brute force. What breaks each rule is written here from the generated steps (docs/rules/PB100.md,
 * PB102.md, PB106.md), apart from the core's queries, so a change to one side alone fails here.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkPlaybook } from '../../server/src/core/check.js';
import { flowView, type FlowHighlight } from '../../server/src/core/features/flowView.js';
import type { FlowEdge, FlowGraph } from '../../server/src/core/graph/flowGraph.js';
import { violationPaths } from '../../server/src/core/graph/violationPaths.js';
import { playbook } from './helpers/flowSecurity.js';
import { bruteForce, reachSets, stopOf } from './helpers/pathBruteForce.js';

const BODIES = {
  diagnose: 'action: diagnose, run: x',
  rollback: 'action: rollback, service: api, to: 1.1.0',
  review: 'action: checkpoint, kind: security-review, approvers: [security]',
  approval: 'action: checkpoint, kind: change-approval, approvers: [sre]',
  tellSecurity: 'action: notify, channel: security, message: m',
  tellIncident: 'action: notify, channel: incident, message: m',
  grantAdmin: 'action: access-grant, principal: "@alice", role: admin, duration: 1h',
  grantViewer: 'action: access-grant, principal: "@alice", role: viewer, duration: 1h',
  revokeAdmin: 'action: access-revoke, principal: "@alice", role: admin',
  revokeViewer: 'action: access-revoke, principal: "@alice", role: viewer',
} as const;
type Body = keyof typeof BODIES;

/** `security` declared, not declared, or declared with nowhere to send to (which tells no one). */
const CHANNELS = {
  declared: '  security: "#sec-incidents"\n  incident: "#inc"\n',
  missing: '  incident: "#inc"\n',
  empty: '  security: ""\n  incident: "#inc"\n',
} as const;

interface Step { body: Body; next: number | undefined; failure: 'abort' | 'continue' | number | undefined }
interface Shape { steps: Step[]; channel: keyof typeof CHANNELS }

const shapes: fc.Arbitrary<Shape> = fc.integer({ min: 1, max: 9 }).chain((n) => fc.record({
  steps: fc.array(fc.record({
    body: fc.constantFrom(...(Object.keys(BODIES) as Body[])),
    // undefined: list order, or abort on failure (not written, so not drawn); else a step index
    next: fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: fc.nat(n - 1), weight: 1 }),
    failure: fc.oneof(fc.constantFrom('abort' as const, 'continue' as const, undefined), fc.nat(n - 1)),
  }), { minLength: n, maxLength: n }),
  channel: fc.constantFrom('declared' as const, 'missing' as const, 'empty' as const),
}));

const render = ({ steps, channel }: Shape): string => playbook(steps.map((s, i) =>
  `  - {id: s${i}, ${BODIES[s.body]}${s.next === undefined ? '' : `, next: s${s.next}`}${s.failure === undefined ? '' : `, on-failure: ${typeof s.failure === 'number' ? `s${s.failure}` : s.failure}`}}\n`).join(''), CHANNELS[channel]);

/** The paths that break a rule at a step: after `lead` (the step's success edge) when there is one, from `from` to `to` along the edges `walks` accepts. */
interface Breaking {
  lead: FlowEdge | undefined;
  from: number;
  to: number;
  walks(edge: FlowEdge): boolean;
}

const PATH_RULES = ['PB100', 'PB102', 'PB106'] as const;
type PathRule = typeof PATH_RULES[number];

/** What breaks `rule` at `step`, as the rule pages say; undefined where the rule asks nothing of the step. */
function breaking(rule: PathRule, shape: Shape, g: FlowGraph, step: number): Breaking | undefined {
  const body = (i: number): Body => shape.steps[i]!.body;
  const grants = body(step) === 'grantAdmin' || body(step) === 'grantViewer';
  const afterSuccess = (walks: (edge: FlowEdge) => boolean): Breaking => {
    const successor = shape.steps[step]!.next ?? step + 1;
    return { lead: g.out[step]!.find((e) => e.to === successor && e.kind !== 'failure'), from: successor, to: g.exit, walks };
  };
  switch (rule) {
    case 'PB100': // risky: from the entry, through no approved security checkpoint (a denied one that goes on lets the path through)
      if (body(step) !== 'rollback' && !grants) return undefined;
      return { lead: undefined, from: 0, to: step, walks: (e) => body(e.from) !== 'review' || e.kind === 'failure' };
    case 'PB102': // a change: after it succeeds, to the end through no notification that reaches security
      if (body(step) !== 'rollback' && !grants) return undefined;
      return afterSuccess((e) => !(shape.channel === 'declared' && body(e.from) === 'tellSecurity'));
    case 'PB106': { // a grant: after it succeeds, to the end through no revoke of the same principal and role
      if (!grants) return undefined;
      const revoke = body(step) === 'grantAdmin' ? 'revokeAdmin' : 'revokeViewer';
      return afterSuccess((e) => body(e.from) !== revoke);
    }
  }
}

/** Every flow edge on some walk that breaks the rule: the lead, then each edge from a node reached from `from` (before `to`) to a node that reaches `to`. */
function breakingEdges(g: FlowGraph, { lead, from, to, walks }: Breaking): FlowEdge[] | undefined {
  const untilEnd = (e: FlowEdge): boolean => walks(e) && e.from !== to;
  const reaches = reachSets(g, untilEnd);
  if (!reaches[from]!.has(to)) return undefined;
  const on = g.out.flat().filter((e) => untilEnd(e) && reaches[from]!.has(e.from) && reaches[e.to]!.has(to));
  return lead ? [lead, ...on] : on;
}

const keyOf = (g: FlowGraph, node: number): string => (node === g.exit ? 'finish' : `s${node}`);

/** Each listed path of the finding (step ids) lies inside the view's highlight: its steps are lit, and each move along it is a lit edge or stays in one loop along lit edges. */
function assertListedPathsLit(g: FlowGraph, rule: PathRule, step: number, br: Breaking, lit: FlowHighlight, drawn: ReadonlyArray<{ from: string; to: string }>, listed: string[][], where: string): void {
  const litNodes = new Set(lit.nodes);
  const litEdges = lit.edges.map((i) => drawn[i]!);
  const litPairs = new Set(litEdges.map((e) => `${e.from}>${e.to}`));
  const litReach = (a: string, b: string): boolean => {
    const seen = new Set([a]);
    const stack = [a];
    while (stack.length) {
      const node = stack.pop()!;
      for (const e of litEdges) if (e.from === node && !seen.has(e.to)) { seen.add(e.to); stack.push(e.to); }
    }
    return seen.has(b);
  };
  const stop = stopOf(reachSets(g, br.walks));
  const index = (id: string): number => Number(id.slice(1));
  assert.ok(listed.length > 0, `the finding lists a path, ${where}`);
  for (const ids of listed) {
    const path = `[${ids.join(' → ')}] of ${rule} on s${step}, ${where}`;
    for (const id of ids) assert.ok(litNodes.has(id), `${id} is lit, on ${path}`);
    if (rule === 'PB100') assert.deepEqual([ids[0], ids[ids.length - 1]], ['s0', `s${step}`], `from the entry to the step, ${path}`);
    else {
      const last = ids[ids.length - 1]!;
      assert.equal(ids[0], `s${step}`, `from the step, ${path}`);
      // The way out may be an abort nobody wrote, which is not drawn; a drawn one is lit.
      const drawnOut = drawn.some((e) => e.from === last && e.to === 'finish');
      assert.ok(litNodes.has('finish') && (!drawnOut || litPairs.has(`${last}>finish`)), `the way from ${last} to the end is lit, ${path}`);
    }
    ids.slice(1).forEach((b, i) => {
      const a = ids[i]!;
      const move = litPairs.has(`${a}>${b}`) || (stop(index(a)) === stop(index(b)) && litReach(a, b));
      assert.ok(move, `${a} → ${b} is lit, ${path}`);
    });
  }
}

describe('on generated playbooks, the flow view lights up exactly the paths each rule finds', () => {
  for (const rule of PATH_RULES) {
    test(`${rule}: flagged exactly when a path breaks it; every lit edge is on such a path, every such edge is lit, and the listed paths lie inside`, () => {
      let checked = 0;
      fc.assert(fc.property(shapes, (shape) => {
        const text = render(shape);
        const analysis = checkPlaybook(text);
        const g = analysis.graph();
        const view = flowView(analysis);
        const everyEdge = reachSets(g, () => true);
        const drawnIndex = new Map(view.diagram.edges.map((e, i) => [`${e.from}>${e.to}>${e.kind}`, i]));
        for (let step = 0; step < g.exit; step++) {
          const br = breaking(rule, shape, g, step);
          if (!br) continue;
          const where = `in\n${text}`;
          // A step no path reaches is PB006's, whatever its paths.
          const edges = everyEdge[0]!.has(step) ? breakingEdges(g, br) : undefined;
          const finding = analysis.findings.find((f) => f.ruleId === rule && f.stepIndex === step && (f.data as { missing?: string } | undefined)?.missing !== 'duration');
          assert.equal(finding !== undefined, edges !== undefined, `${rule} on s${step}: flagged exactly when a path breaks it, ${where}`);
          if (!finding || !edges) continue;
          const data = finding.data as { pathCount: number; paths: string[][] };
          assert.equal(data.pathCount, bruteForce(g, br.walks, br.from, br.to).length, `${rule} on s${step}: the paths counted, ${where}`);
          const listed = view.findings.findIndex((f) => f.ruleId === rule && f.step === step);
          assert.ok(listed >= 0, `the view has the ${rule} finding on s${step}, ${where}`);
          assert.equal(view.highlight, undefined, `nothing is lit up without a focus, ${where}`);
          const lit = flowView(analysis, { ruleId: rule, step }).highlight;
          assert.deepEqual(lit, { finding: listed, ...violationPaths(analysis, view.diagram)(rule, step) }, `${rule} on s${step}: the focused view lights up what violationPaths gives, ${where}`);
          assert.ok(lit);
          const expectedEdges = [...new Set(edges.flatMap((e) => drawnIndex.get(`${keyOf(g, e.from)}>${keyOf(g, e.to)}>${e.kind === 'failure' ? 'failure' : 'flow'}`) ?? []))].sort((a, b) => a - b);
          assert.deepEqual(lit.edges, expectedEdges, `${rule} on s${step}: the lit edges are those on breaking paths, ${where}`);
          const expectedNodes = new Set([keyOf(g, step), ...edges.flatMap((e) => [keyOf(g, e.from), keyOf(g, e.to)])]);
          assert.deepEqual([...lit.nodes].sort(), [...expectedNodes].sort(), `${rule} on s${step}: the lit steps are those on breaking paths, ${where}`);
          assertListedPathsLit(g, rule, step, br, lit, view.diagram.edges, data.paths, where);
          checked++;
        }
      }), { numRuns: 300, seed: 20260320 });
      assert.ok(checked > 100, `${checked} ${rule} findings checked`);
    });
  }
});
