import type { Node } from 'yaml';
import type { StepModel } from '../parse/model.js';
import { nodeRange } from '../parse/yamlNodes.js';
import type { Finding, RelatedLocation } from '../types.js';
import { shortestPath, stronglyConnectedComponents } from '../util/scc.js';
import { report, type RuleDefinition } from './rule.js';

export const PB007: RuleDefinition = {
  id: 'PB007',
  name: 'cycle',
  family: 'structure',
  defaultSeverity: 'error',
  summary: 'Cycle in the flow graph or in `requires`.',
  reads: ['steps'],
  check({ parsed, graph }) {
    const g = graph();
    const steps = parsed.model.steps;
    const out: Finding[] = [];
    // Flow: list order only goes forward, so every loop has a backward `next` or `on-failure` edge.
    const flowSucc = (n: number): number[] => (n < g.exit ? g.out[n]!.map((e) => e.to) : []);
    const flowComponent = stronglyConnectedComponents(g.exit, flowSucc);
    for (let from = 0; from < g.exit; from++) {
      for (const edge of g.out[from]!) {
        if (edge.to > from || edge.to >= g.exit || flowComponent[edge.to] !== flowComponent[from] || !edge.node) continue;
        const path = shortestPath(edge.to, from, flowSucc, (n) => flowComponent[n] === flowComponent[from]) ?? [edge.to];
        const cycle = edge.to === from ? [from, from] : [...path, edge.to];
        const field = edge.kind === 'failure' ? 'on-failure' : 'next';
        out.push(cycleFinding(steps, from, edge.node, `${steps[from]!.label}: \`${field}\` goes back to \`${steps[edge.to]!.id}\`, which loops forever (${names(steps, cycle)}); break the loop or end it with a step that exits`, cycle));
      }
    }
    // Requires: a step that (transitively) requires itself can never run.
    const reqSucc = (n: number): number[] => g.requires[n]!.map((r) => r.target);
    const reqComponent = stronglyConnectedComponents(g.exit, reqSucc);
    const reported = new Set<number>();
    for (let from = g.exit - 1; from >= 0; from--) {
      const comp = reqComponent[from]!;
      if (reported.has(comp)) continue;
      const closing = g.requires[from]!.find((r) => reqComponent[r.target] === comp);
      if (!closing) continue;
      reported.add(comp);
      const path = shortestPath(closing.target, from, reqSucc, (n) => reqComponent[n] === comp) ?? [closing.target];
      const cycle = closing.target === from ? [from, from] : [...path, closing.target];
      out.push(cycleFinding(steps, from, closing.node, `${steps[from]!.label}: \`requires\` forms a cycle (${names(steps, cycle)}), so none of these steps can ever run; remove one requirement`, cycle));
    }
    return out;
  },
};

/** Long cycles are shown by their two ends, so a message stays readable (and small) on any input. */
const SHOWN_AT_EACH_END = 4;

function names(steps: StepModel[], cycle: number[]): string {
  const name = (i: number): string => steps[i]?.id ?? `step ${i + 1}`;
  if (cycle.length <= SHOWN_AT_EACH_END * 2 + 1) return cycle.map(name).join(' → ');
  const omitted = cycle.length - SHOWN_AT_EACH_END * 2;
  return [...cycle.slice(0, SHOWN_AT_EACH_END).map(name), `… ${omitted} more steps …`, ...cycle.slice(-SHOWN_AT_EACH_END).map(name)].join(' → ');
}

function cycleFinding(steps: StepModel[], from: number, node: Node, message: string, cycle: number[]): Finding {
  const members = cycle.slice(0, -1);
  const shown = members.length <= SHOWN_AT_EACH_END * 2 ? members : [...members.slice(0, SHOWN_AT_EACH_END), ...members.slice(-SHOWN_AT_EACH_END)];
  const related: RelatedLocation[] = shown.map((i) => ({ message: `in the cycle: ${steps[i]!.label}`, range: nodeRange(steps[i]!.idNode ?? steps[i]!.node) }));
  return report(PB007, { message, range: nodeRange(node), related, data: { cycle: cycle.map((i) => steps[i]?.id) }, stepIndex: from });
}
