import { firstLineOf, nodeRange } from '../parse/yamlNodes.js';
import { report, type RuleDefinition } from './rule.js';

export const PB107: RuleDefinition = {
  id: 'PB107',
  name: 'no-postmortem',
  family: 'security',
  defaultSeverity: 'warning',
  summary: 'No `postmortem` step.',
  reads: ['document'],
  check({ parsed }) {
    const { model, yaml } = parsed;
    if (!yaml || !model.rootIsMap || model.steps.some((s) => s.action === 'postmortem')) return [];
    const anchor = model.stepsKey ?? yaml.contents;
    return [report(PB107, {
      message: 'the playbook has no `postmortem` step: add one (e.g. `action: postmortem`, `due: 48h`) so every incident it answers is reviewed and its lessons recorded',
      range: firstLineOf(nodeRange(anchor), parsed.text),
      data: { stepsEnd: model.steps.length ? model.steps[model.steps.length - 1]!.range.end : undefined },
    })];
  },
};
