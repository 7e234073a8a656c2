/** Hover on a service or channel name: its declaration under `services` or `channels`. */
import { declaredChannel, SECURITY_CHANNEL } from '../../graph/securitySteps.js';
import type { ParsedPlaybook } from '../../parse/model.js';
import type { Policy } from '../../policy/policy.js';
import { codeList } from '../completion/policyNotes.js';
import { shownText } from './shownText.js';

export function serviceMarkdown(parsed: ParsedPlaybook, name: string): string {
  const shown = shownText(parsed);
  const service = parsed.model.services.get(name);
  if (!service) return `No service ${shown.code(name)} is declared under \`services\` (PB005).`;
  const lines = [
    `- package: ${service.purl === undefined ? 'none (advisories cannot be matched)' : shown.code(service.purl)}`,
    `- current: ${service.current === undefined ? 'not given' : shown.text(service.current)}`,
    `- releases: ${service.releases.map((r) => shown.text(r.value)).join(', ') || 'none listed'}`,
  ];
  return `**service ${shown.code(name)}**\n\n${lines.join('\n')}`;
}

export function channelMarkdown(parsed: ParsedPlaybook, name: string, policy: Policy): string {
  const shown = shownText(parsed);
  const channel = parsed.model.channels.get(name);
  if (!channel) return `No channel ${shown.code(name)} is declared under \`channels\` (PB005).${name === SECURITY_CHANNEL ? ' A notification to it reaches no one, so it does not tell security (PB102).' : ''}`;
  const declared = declaredChannel(parsed, name);
  const head = `**channel ${shown.code(name)}**${declared.declared ? `: ${shown.text(declared.target)}` : ''}`;
  const empty = declared.declared ? '' : `\n\nNothing to send to: ${shown.tool(declared.why)}, so a notification to it reaches no one.`;
  if (name !== SECURITY_CHANNEL) return head + empty;
  const after = codeList(policy.notifySecurityAfter);
  if (!declared.declared) return `${head}${empty} Notifying it does not tell security (PB102): give it a channel.`;
  return `${head}\n\nThe channel PB102 looks for${after ? `: after ${after}, every path to an exit must notify it` : ''}.`;
}
