/** Where each rule's doc page lives, for diagnostics (`codeDescription`) and SARIF (`helpUri`). */
export const PROJECT_URL = 'https://github.com/incident-playbook/incident-playbook';

export function ruleDocUrl(ruleId: string): string {
  return `${PROJECT_URL}/blob/main/docs/rules/${ruleId}.md`;
}
