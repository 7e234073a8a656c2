/** The rollback and deploy steps with the service and version they name, for PB101 and PB108. */
import type { Node } from 'yaml';
import type { ParsedPlaybook, ServiceModel, StepModel } from '../parse/model.js';
import { scalarText } from '../parse/yamlNodes.js';

/** The step field that names a version, per action. */
export const VERSION_FIELD: Readonly<Record<string, string>> = { rollback: 'to', deploy: 'version' };

export interface VersionTarget {
  step: StepModel;
  service: ServiceModel;
  version: string;
  versionNode: Node;
}

/** Once per parse: PB101, PB108, PB110, PB111, the editor's release reading and the dry-run all ask. */
const byParse = new WeakMap<ParsedPlaybook, readonly VersionTarget[]>();

export function versionTargets(parsed: ParsedPlaybook): readonly VersionTarget[] {
  const known = byParse.get(parsed);
  if (known) return known;
  const out: VersionTarget[] = [];
  for (const step of parsed.model.steps) {
    const field = step.action ? VERSION_FIELD[step.action] : undefined;
    if (!field) continue;
    const versionNode = step.pairs.get(field)?.value as Node | undefined;
    const version = scalarText(versionNode);
    const serviceName = scalarText(step.pairs.get('service')?.value);
    const service = serviceName === undefined ? undefined : parsed.model.services.get(serviceName);
    if (version !== undefined && versionNode && service) out.push({ step, service, version, versionNode });
  }
  byParse.set(parsed, out);
  return out;
}

/** `v1.2.3` and `1.2.3` name the same release. */
export function sameRelease(a: string, b: string): boolean {
  const strip = (v: string): string => v.trim().replace(/^v(?=\d)/, '');
  return strip(a) === strip(b);
}
