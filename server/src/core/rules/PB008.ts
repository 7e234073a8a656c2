import type { RuleDefinition } from './rule.js';

export const PB008: RuleDefinition = {
  id: 'PB008',
  name: 'input-limit',
  family: 'structure',
  defaultSeverity: 'error',
  summary: 'The document is over a safety limit (size, aliases) and was not checked in full.',
  reads: ['document'],
  check: ({ parsed }) => parsed.parseFindings.filter((f) => f.ruleId === 'PB008'),
};
