/**
 * The advisories on the version a rollback or deploy would bring, replayed as of a day when asked:
 * a record published (or, without `published`, modified) after that day was not known then and
 * is set aside. A record whose date cannot be read is kept (showing a risk beats hiding one).
 */
import type { AdvisorySnapshot } from '../advisories/snapshot.js';
import type { PlaybookModel, StepModel } from '../parse/model.js';
import { VERSION_FIELD } from '../rules/versionTargets.js';
import { stepField } from '../graph/securitySteps.js';
import type { AdvisoryNote } from './types.js';

export interface AdvisoryReplay {
  known: AdvisoryNote[];
  /** Ids of matching records first known (published, else modified) after the as-of instant. */
  notYetPublished: string[];
}

export function replayAdvisories(step: StepModel, model: PlaybookModel, snapshot: AdvisorySnapshot | undefined, asOf: number | undefined): AdvisoryReplay | undefined {
  const field = step.action === undefined ? undefined : VERSION_FIELD[step.action];
  const version = field === undefined ? undefined : stepField(step, field)?.value;
  const purl = model.services.get(stepField(step, 'service')?.value ?? '')?.purl;
  if (!snapshot || version === undefined || purl === undefined) return undefined;
  const replay: AdvisoryReplay = { known: [], notYetPublished: [] };
  for (const match of snapshot.index.lookup(purl, version, { dates: asOf !== undefined })) {
    if (asOf !== undefined && Date.parse(match.published ?? match.modified ?? '') > asOf) {
      replay.notYetPublished.push(match.id);
      continue;
    }
    replay.known.push({ id: match.id, aliases: match.aliases, severity: match.severity ?? null, summary: match.summary ?? null, fixed: match.fixed, version });
  }
  return replay;
}
