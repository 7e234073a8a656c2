import type { Node } from 'yaml';
import type { StepModel } from '../parse/model.js';
import { nodeRange, scalarText } from '../parse/yamlNodes.js';
import type { Finding } from '../types.js';
import { nearest } from '../util/suggest.js';
import { report, type RuleDefinition } from './rule.js';

export const PB005: RuleDefinition = {
  id: 'PB005',
  name: 'unknown-service-or-channel',
  family: 'structure',
  defaultSeverity: 'error',
  summary: 'Reference to an unknown service or channel.',
  reads: ['steps', 'services', 'channels'],
  stepLocal: true,
  check({ parsed }) {
    const { services, channels } = parsed.model;
    const out: Finding[] = [];
    for (const step of parsed.model.steps) {
      const service = field(step, 'service');
      if (service && !services.has(service.value)) out.push(unknown(step, 'service', service, [...services.keys()], 'services'));
      const channel = step.action === 'notify' ? field(step, 'channel') : undefined;
      if (channel && !channels.has(channel.value)) out.push(unknown(step, 'channel', channel, [...channels.keys()], 'channels'));
    }
    return out;
  },
};

function field(step: StepModel, key: string): { value: string; node: Node } | undefined {
  const node = step.pairs.get(key)?.value as Node | undefined;
  const value = scalarText(node);
  return value === undefined || node === undefined ? undefined : { value, node };
}

function unknown(step: StepModel, kind: string, ref: { value: string; node: Node }, known: string[], mapName: string): Finding {
  const suggestion = nearest(ref.value, known);
  const hint = suggestion
    ? `; did you mean \`${suggestion}\`?`
    : known.length
      ? `; add it under \`${mapName}\` or use one of ${known.map((k) => `\`${k}\``).join(', ')}`
      : `; the playbook has no \`${mapName}\` map, add \`${ref.value}\` under \`${mapName}:\``;
  return report(PB005, {
    message: `${step.label}: ${kind} \`${ref.value}\` is not declared in \`${mapName}\`${hint}`,
    range: nodeRange(ref.node),
    data: { kind, name: ref.value, ...(suggestion ? { replacement: suggestion } : {}) },
    stepIndex: step.index,
  });
}
