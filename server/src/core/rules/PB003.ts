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
    const steps = parsed.model.steps;
    const first = new Map<string, number>();
    const duplicates: number[] = [];
    for (const step of steps) {
      if (step.id === undefined) continue;
      if (first.has(step.id)) duplicates.push(step.index);
      else first.set(step.id, step.index);
    }
    if (duplicates.length === 0) return [];
    const ids = new Set(first.keys());
    return duplicates.map((index) => {
      const step = steps[index]!;
      const earlier = first.get(step.id!)!;
      const replacement = uniqueId(step.id!, ids);
      ids.add(replacement);
      return report(PB003, {
        message: `step id \`${step.id}\` is already used by step ${earlier + 1}; references to it are ambiguous, so rename this one (e.g. \`${replacement}\`)`,
        range: nodeRange(step.idNode),
        related: [{ message: `first step with id \`${step.id}\``, range: nodeRange(steps[earlier]!.idNode) }],
        data: { replacement },
        stepIndex: step.index,
      });
    });
  },
};

function uniqueId(id: string, taken: Set<string>): string {
  for (let n = 2; ; n++) if (!taken.has(`${id}-${n}`)) return `${id}-${n}`;
}
