/**
 * Where a rule's link leads in the editor. By default, to the rule's page shipped inside the
 * extension (a command link the client opens as a Markdown preview): it works offline and always
 * matches the installed version. A team that keeps its own pages sets
 * `playbook.ruleDocumentationUrl` to a URL with `{id}` in it.
 */
import { SHOW_RULE_COMMAND } from '../shared/protocol.js';

export function ruleLink(ruleId: string, template: string): string {
  if (template && isWebUrl(template)) return template.includes('{id}') ? template.replaceAll('{id}', encodeURIComponent(ruleId)) : `${template.replace(/\/+$/, '')}/${encodeURIComponent(ruleId)}`;
  return `command:${SHOW_RULE_COMMAND}?${encodeURIComponent(JSON.stringify([ruleId]))}`;
}

/** Only http(s): a setting must not turn a rule link into a command or a file link of its own. */
function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text.replaceAll('{id}', 'PB000'));
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
