/** Hover on a service or channel name: its declaration under `services` or `channels`. */
import { SECURITY_CHANNEL } from '../../graph/securitySteps.js';
import type { PlaybookModel } from '../../parse/model.js';
import type { Policy } from '../../policy/policy.js';
import { codeList } from '../completion/policyNotes.js';

export function serviceMarkdown(model: PlaybookModel, name: string): string {
  const service = model.services.get(name);
  if (!service) return `No service \`${name}\` is declared under \`services\` (PB005).`;
  const lines = [
    `- package: ${service.purl === undefined ? 'none (advisories cannot be matched)' : `\`${service.purl}\``}`,
    `- current: ${service.current ?? 'not given'}`,
    `- releases: ${service.releases.map((r) => r.value).join(', ') || 'none listed'}`,
  ];
  return `**service \`${name}\`**\n\n${lines.join('\n')}`;
}

export function channelMarkdown(model: PlaybookModel, name: string, policy: Policy): string {
  const channel = model.channels.get(name);
  if (!channel) return `No channel \`${name}\` is declared under \`channels\` (PB005).`;
  const head = `**channel \`${name}\`**${channel.target === undefined ? '' : `: ${channel.target}`}`;
  if (name !== SECURITY_CHANNEL) return head;
  const after = codeList(policy.notifySecurityAfter);
  return `${head}\n\nThe channel PB102 looks for${after ? `: after ${after}, every path to an exit must notify it` : ''}.`;
}
