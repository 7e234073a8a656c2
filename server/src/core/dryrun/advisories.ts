/**
 * The advisories on the version a rollback or deploy would bring, and on the components its SBOM
 * says it contains, replayed as of a day when asked:
 * a record published (or, without `published`, modified) after that day was not known then and
 * is set aside. A record whose date cannot be read is kept (showing a risk beats hiding one).
 */
import type { AdvisorySnapshot } from '../advisories/snapshot.js';
import type { PlaybookModel, StepModel } from '../parse/model.js';
import { NO_RELEASE_DATA, releaseStatus, type ReleaseData } from '../releases/releaseStatus.js';
import { VERSION_FIELD } from '../rules/versionTargets.js';
import { stepField } from '../graph/securitySteps.js';
import type { AdvisoryNote } from './types.js';

export interface AdvisoryReplay {
  known: AdvisoryNote[];
  /** Ids of matching records first known (published, else modified) after the as-of instant. */
  notYetPublished: string[];
}

/** What stands against the target release: its own package and, with an SBOM, the components it brings back (security's VEX decisions applied). */
export function replayAdvisories(step: StepModel, model: PlaybookModel, snapshot: AdvisorySnapshot | undefined, asOf: number | undefined, releases: ReleaseData = NO_RELEASE_DATA): AdvisoryReplay | undefined {
  const field = step.action === undefined ? undefined : VERSION_FIELD[step.action];
  const version = field === undefined ? undefined : stepField(step, field)?.value;
  const service = model.services.get(stepField(step, 'service')?.value ?? '');
  if (!snapshot || version === undefined || service === undefined) return undefined;
  const status = releaseStatus(service, version, releases, snapshot.index, { dates: asOf !== undefined });
  if (service.purl === undefined && !status.sbom) return undefined;
  const replay: AdvisoryReplay = { known: [], notYetPublished: [] };
  for (const { match, component } of status.standing) {
    if (asOf !== undefined && Date.parse(match.published ?? match.modified ?? '') > asOf) {
      replay.notYetPublished.push(match.id);
      continue;
    }
    const on = component ? { component: { name: component.name, version: component.version ?? null, purl: component.purl ?? null } } : {};
    replay.known.push({ id: match.id, aliases: match.aliases, severity: match.severity ?? null, summary: match.summary ?? null, fixed: match.fixed, version, ...on });
  }
  return replay;
}
