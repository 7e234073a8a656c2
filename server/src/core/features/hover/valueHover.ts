/** Hover on a value the schema enumerates: an action, a checkpoint kind, an enum value, an `on-failure` keyword. */
import type { Analysis } from '../types.js';
import { checkpointNote, codeList, riskNote } from '../completion/policyNotes.js';
import { actionValues, checkpointKindValues, stepFields, type FieldInfo } from '../schemaInfo.js';
import { shownText, type ShownText } from './shownText.js';

export function actionMarkdown(action: string, { parsed, policy }: Analysis): string {
  const value = actionValues().find((v) => v.value === action);
  if (!value) return `${shownText(parsed).code(action)} is not an action; the actions are ${codeList(actionValues().map((v) => v.value))}.`;
  const parts = [`**action \`${action}\`**: ${value.description ?? ''}`.trimEnd()];
  const note = riskNote(action, policy);
  if (note?.startsWith('risky')) {
    parts.push(`${capitalize(note)}: a security checkpoint must be approved on every path to it, or be named in its \`requires\` (PB100).`);
  } else if (note) {
    parts.push(`${capitalize(note)} (it is risky by default), so PB100 asks for no security checkpoint before it.`);
  }
  const fields = stepFields(action).filter((f) => !['id', 'action', 'title', 'notes', 'timeout', 'requires', 'next', 'on-failure'].includes(f.name));
  if (fields.length) parts.push(`Fields: ${fields.map((f) => (f.required ? `**\`${f.name}\`**` : `\`${f.name}\``)).join(', ')} (required in bold).`);
  return parts.join('\n\n');
}

export function checkpointKindMarkdown(kind: string, { parsed, policy }: Analysis): string {
  const value = checkpointKindValues().find((v) => v.value === kind);
  const head = value ? `**checkpoint kind \`${kind}\`**: ${value.description ?? ''}`.trimEnd() : `${shownText(parsed).code(kind)} is not a checkpoint kind.`;
  const counts = policy.securityCheckpoints.has(kind);
  const note = checkpointNote(kind, policy);
  const tail = counts
    ? `A ${note}: a risky step is guarded when its approval is on every path to it, or when the step names it in \`requires\` (PB100).`
    : `${capitalize(note)}: it guards no risky step. The kinds that count: ${codeList(policy.securityCheckpoints) || 'none'}.`;
  return `${head}\n\n${tail}`;
}

/** A value of a field with allowed values; the field's own docs stand in for a value without a description. */
export function enumValueMarkdown(value: string, field: FieldInfo | undefined, shown: ShownText): string | undefined {
  const values = field?.values ?? [];
  const found = values.find((v) => v.value === value);
  if (!found) return values.length ? `${shown.code(value)} is not allowed here; the values are ${codeList(values.map((v) => v.value))}.` : undefined;
  if (found.description) return `**\`${value}\`**: ${found.description}`;
  return `**\`${value}\`**${field?.documentation ? `\n\n${field.documentation}` : ''}`;
}

const ON_FAILURE: Readonly<Record<string, string>> = {
  abort: '**`abort`**: when this step fails, the playbook stops (the default).',
  continue: '**`continue`**: when this step fails, the playbook goes on with the next step as if it had succeeded.',
};

export function onFailureKeywordMarkdown(word: string): string | undefined {
  return ON_FAILURE[word];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
