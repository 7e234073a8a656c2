/**
 * The advisories on the version a rollback or deploy would bring, replayed as of a day when asked:
 * a record published after that day was not known then and is set aside. A record with no
 * `published` date cannot be placed in time and is kept (showing a risk beats hiding one).
 */
import type { AdvisorySnapshot } from '../advisories/snapshot.js';
import type { PlaybookModel, StepModel } from '../parse/model.js';
import { VERSION_FIELD } from '../rules/versionTargets.js';
import { stepField } from '../graph/securitySteps.js';
import type { AdvisoryNote } from './types.js';

export interface AdvisoryReplay {
  known: AdvisoryNote[];
  /** Ids of matching records published after the as-of instant. */
  notYetPublished: string[];
}

export function replayAdvisories(step: StepModel, model: PlaybookModel, snapshot: AdvisorySnapshot | undefined, asOf: number | undefined): AdvisoryReplay | undefined {
  const field = step.action === undefined ? undefined : VERSION_FIELD[step.action];
  const version = field === undefined ? undefined : stepField(step, field)?.value;
  const purl = model.services.get(stepField(step, 'service')?.value ?? '')?.purl;
  if (!snapshot || version === undefined || purl === undefined) return undefined;
  const replay: AdvisoryReplay = { known: [], notYetPublished: [] };
  for (const match of snapshot.index.lookup(purl, version)) {
    if (asOf !== undefined && match.published !== undefined && Date.parse(match.published) > asOf) {
      replay.notYetPublished.push(match.id);
      continue;
    }
    replay.known.push({ id: match.id, aliases: match.aliases, severity: match.severity ?? null, summary: match.summary ?? null, fixed: match.fixed, version });
  }
  return replay;
}
