/** Top-level facts the report names: title, severity, `owners` contacts, `compliance` tags. */
import type { ParsedPlaybook } from '../parse/model.js';
import { getNode, mapKeys, scalarText, stringItems } from '../parse/yamlNodes.js';

export interface PlaybookFacts {
  id: string | null;
  title: string | null;
  severity: string | null;
  /** `owners` role → contact, e.g. `security` → `@secops-oncall`. */
  owners: Map<string, string>;
  compliance: string[];
}

export function playbookFacts(parsed: ParsedPlaybook): PlaybookFacts {
  const root = parsed.yaml?.contents;
  const owners = new Map<string, string>();
  for (const { key, pair } of mapKeys(parsed.model.ownersPair?.value)) {
    const contact = scalarText(pair.value);
    if (contact !== undefined) owners.set(key, contact);
  }
  return {
    id: parsed.model.id ?? null,
    title: scalarText(getNode(root, 'title')) ?? null,
    severity: scalarText(getNode(root, 'severity')) ?? null,
    owners,
    compliance: stringItems(getNode(root, 'compliance')).map((i) => i.value),
  };
}
