/**
 * `playbook advisories --write-index`: a zip's published index (`<zip>.playbook-index`), the
 * snapshot file (advisorySnapshotFile.ts) of that zip alone with every record kept, under a key made
 * from the zip's central directory and the limits. An index that is current already is left as it
 * is; otherwise the zip is parsed whole and the index written at once (writeFile.ts), so a reader
 * never sees half of one.
 */
import { statSync } from 'node:fs';
import type { AdvisoryProblem } from '../core/advisories/snapshot.js';
import { DEFAULT_ADVISORY_LIMITS, loadSources, PUBLISHED_INDEX_SUFFIX, withLimits, type AdvisoryLimits, type Loaded } from './advisoryLoad.js';
import { scanSources, type SourceRef } from './advisoryScan.js';
import { encodeSnapshot } from './advisorySnapshotFile.js';
import { describeFsError } from './readFile.js';
import { writeFileAtomically } from './writeFile.js';

export type IndexBuild =
  | { file: string; bytes: number; entries: number; records: number; parsed: number; reused: number; problems: AdvisoryProblem[] }
  /** Why no index was written. */
  | { problem: string };

export async function buildPublishedIndex(ref: SourceRef, limits: Partial<AdvisoryLimits> = {}): Promise<IndexBuild> {
  const scan = await scanSources([ref]);
  const { kind, problem } = scan.sources[0]!;
  if (kind === 'missing') return { problem: `cannot be read: ${problem}` };
  if (kind !== 'zip') return { problem: `is a ${kind}; only a zip has a published index (a folder is kept in the per-user cache)` };
  const file = ref.path + PUBLISHED_INDEX_SUFFIX;
  const effective = withLimits(DEFAULT_ADVISORY_LIMITS, limits);
  const current = await loadSources(scan, effective);
  if (current.whole) {
    const { sources, problems } = current.whole;
    return { file, bytes: statSync(file).size, entries: current.fromIndex, records: sources[0]!.records, parsed: 0, reused: current.fromIndex, problems };
  }
  const [{ key, failure }] = current.zips as [Loaded['zips'][number]];
  if (failure !== undefined || key === undefined) return { problem: failure ?? 'cannot be read as a zip' };
  const { chunks } = encodeSnapshot(current, key, ref.path, true);
  try {
    writeFileAtomically(file, chunks, 0o644);
  } catch (e) {
    return { problem: `${file} cannot be written (${describeFsError(e)})` };
  }
  return { file, bytes: chunks.reduce((n, c) => n + c.length, 0), entries: current.parsed, records: current.records.length, parsed: current.parsed, reused: 0, problems: current.problems };
}
