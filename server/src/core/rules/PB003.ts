import { nodeRange } from '../parse/yamlNodes.js';
import { report, type RuleDefinition } from './rule.js';

export const PB003: RuleDefinition = {
  id: 'PB003',
  name: 'duplicate-step-id',
  family: 'structure',
  defaultSeverity: 'error',
  summary: 'Duplicate step id.',
  reads: ['steps'],
  check({ parsed }) {
    const first = new Map<string, number>();
    const ids = new Set(parsed.model.steps.map((s) => s.id).filter((id): id is string => id !== undefined));
    return parsed.model.steps.flatMap((step) => {
      if (step.id === undefined) return [];
      const earlier = first.get(step.id);
      if (earlier === undefined) {
        first.set(step.id, step.index);
        return [];
      }
      const original = parsed.model.steps[earlier]!;
      const replacement = uniqueId(step.id, ids);
      ids.add(replacement);
      return [report(PB003, {
        message: `step id \`${step.id}\` is already used by step ${earlier + 1}; references to it are ambiguous, so rename this one (e.g. \`${replacement}\`)`,
        range: nodeRange(step.idNode),
        related: [{ message: `first step with id \`${step.id}\``, range: nodeRange(original.idNode) }],
        data: { replacement },
        stepIndex: step.index,
      })];
    });
  },
};

function uniqueId(id: string, taken: Set<string>): string {
  for (let n = 2; ; n++) if (!taken.has(`${id}-${n}`)) return `${id}-${n}`;
}
