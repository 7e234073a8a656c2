/** Hover on a key: the field's documentation from the schema. */
import { code } from '../../util/markdownText.js';
import type { FieldInfo } from '../schemaInfo.js';

/** `requiredBy`: the action of the step the key is in, to say whether the field is required there. */
export function fieldMarkdown(field: FieldInfo, requiredBy?: string): string {
  const parts = [`**\`${field.name}\`**${field.title ? `: ${field.title}` : ''}`];
  if (field.documentation) parts.push(field.documentation);
  if (requiredBy !== undefined && field.required) parts.push(`Required in a ${code(requiredBy)} step.`);
  if (field.values.length) parts.push(`Allowed values: ${field.values.map((v) => `\`${v.value}\``).join(', ')}.`);
  return parts.join('\n\n');
}
