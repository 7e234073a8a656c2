import { report, type RuleDefinition } from './rule.js';

export const PB109: RuleDefinition = {
  id: 'PB109',
  name: 'suppression-without-reason',
  family: 'security',
  defaultSeverity: 'warning',
  summary: 'Suppression without a reason (or naming no rule, placed where it suppresses nothing, or past or without a valid `until` date).',
  reads: ['document', 'now'],
  check: ({ suppressions }) => suppressions().problems.map(({ ruleId: _r, severity: _s, ...rest }) => report(PB109, rest)),
};
