import type { RuleDefinition } from './rule.js';

export const PB001: RuleDefinition = {
  id: 'PB001',
  name: 'yaml-syntax',
  family: 'structure',
  defaultSeverity: 'error',
  summary: 'YAML that does not parse (one finding per parser error, at its position).',
  reads: ['document'],
  check: ({ parsed }) => parsed.parseFindings.filter((f) => f.ruleId === 'PB001'),
};
