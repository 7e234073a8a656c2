import { reachableFrom } from '../graph/flowGraph.js';
import { nodeRange } from '../parse/yamlNodes.js';
import { report, type RuleDefinition } from './rule.js';

export const PB006: RuleDefinition = {
  id: 'PB006',
  name: 'unreachable-step',
  family: 'structure',
  defaultSeverity: 'warning',
  summary: 'Step that no path from the entry reaches.',
  reads: ['steps'],
  check({ parsed, graph }) {
    const g = graph();
    if (g.exit === 0) return [];
    const reached = reachableFrom(g, 0);
    const steps = parsed.model.steps;
    return steps
      .filter((step) => !reached[step.index])
      .map((step) => {
        const before = steps[step.index - 1];
        const jump = before && g.out[before.index]!.find((e) => e.kind === 'next');
        const why = jump && before ? `: ${before.label} before it jumps to \`${steps[jump.to]?.id ?? 'the end'}\` with \`next\`, and no \`next\` or \`on-failure\` leads here` : ': no `next`, `on-failure` or list order leads here from the first step';
        return report(PB006, {
          message: `${step.label} is never reached${why}`,
          range: nodeRange(step.idNode ?? step.node),
          data: { unnecessary: true },
          stepIndex: step.index,
        });
      });
  },
};
