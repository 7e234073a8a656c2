import { nodeRange } from '../parse/yamlNodes.js';
import { nearest } from '../util/suggest.js';
import { report, type RuleDefinition } from './rule.js';

export const PB004: RuleDefinition = {
  id: 'PB004',
  name: 'unknown-step-reference',
  family: 'structure',
  defaultSeverity: 'error',
  summary: 'Reference to an unknown step id (`requires`, `next`, `on-failure`).',
  reads: ['steps'],
  check({ parsed, graph }) {
    const ids = graph().indexById;
    return parsed.model.steps.flatMap((step) =>
      step.references
        .filter((ref) => !ids.has(ref.target))
        .map((ref) => {
          const suggestion = nearest(ref.target, ids.keys());
          const extra = ref.kind === 'on-failure' ? ', `abort` or `continue`' : '';
          const hint = suggestion ? `; did you mean \`${suggestion}\`?` : ids.size ? `; it must be a step id${extra}` : '';
          return report(PB004, {
            message: `${step.label}: \`${ref.kind}\` names \`${ref.target}\`, which is not a step in this playbook${hint}`,
            range: nodeRange(ref.node),
            data: suggestion ? { replacement: suggestion } : undefined,
            stepIndex: step.index,
          });
        }),
    );
  },
};
