import { schemaFindings } from '../schema/schemaFindings.js';
import { playbookValidator } from '../schema/validators.js';
import type { RuleDefinition } from './rule.js';

export const PB002: RuleDefinition = {
  id: 'PB002',
  name: 'schema',
  family: 'structure',
  defaultSeverity: 'error',
  summary: 'Schema violation: unknown field, missing required field, wrong type or value.',
  reads: ['document'],
  check: ({ parsed }) => {
    // Nothing to validate when the text was refused or its aliases could not be expanded (PB008).
    if (!parsed.yaml || parsed.parseFindings.some((f) => f.ruleId === 'PB008')) return [];
    const steps = parsed.model.steps;
    const found = schemaFindings({
      doc: parsed.yaml,
      text: parsed.text,
      data: parsed.data,
      validate: playbookValidator(),
      subject: 'the playbook',
      labelFor: (segments) => {
        if (segments[0] === 'steps' && segments.length >= 2) return steps[Number(segments[1])]?.label;
        if (segments[0] === 'services' && segments.length >= 2) return `service \`${segments[1]}\``;
        return undefined;
      },
    });
    return found.map((f) => ({ ...f, stepIndex: stepIndexAt(steps, f.range.start) }));
  },
};

function stepIndexAt(steps: { index: number; range: { start: number; end: number } }[], offset: number): number | undefined {
  return steps.find((s) => s.range.start <= offset && offset < s.range.end)?.index;
}
