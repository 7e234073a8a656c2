/**
 * `playbook advisories --write-index`: a zip's published index (`<zip>.playbook-index`), the
 * snapshot file (advisorySnapshotFile.ts) of that zip alone with every record kept, under a key made
 * from the zip's central directory and the limits. An index that is current already is left as it
 * is; otherwise the zip is parsed whole and the index written at once (writeFile.ts), so a reader
 * never sees half of one.
 */
import { statSync } from 'node:fs';
import type { AdvisoryProblem } from '../core/index.js';
import { DEFAULT_ADVISORY_LIMITS, loadSources, openZip, PUBLISHED_INDEX_SUFFIX, withLimits, type AdvisoryLimits } from './advisoryLoad.js';
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
  const zip = await openZip(ref.path, ref.entry, effective, true);
  if ('failure' in zip) return { problem: zip.failure.problems[0]!.message };
  if ('index' in zip) return { file, bytes: statSync(file).size, entries: zip.entries, records: zip.index.sources[0]?.records ?? 0, parsed: 0, reused: zip.entries, problems: zip.index.problems };
  const loaded = await loadSources(scan, effective, { indexes: false });
  // An entry that cannot be inflated (or a zip gone since) makes the zip unreadable: no index says otherwise.
  const unreadable = loaded.problems.find((p) => p.file === ref.path && /^(it )?cannot be read\b/.test(p.message));
  if (unreadable) return { problem: unreadable.message };
  const { chunks } = encodeSnapshot(loaded, zip.key, ref.path, true);
  try {
    writeFileAtomically(file, chunks, 0o644);
  } catch (e) {
    return { problem: `${file} cannot be written (${describeFsError(e)})` };
  }
  return { file, bytes: chunks.reduce((n, c) => n + c.length, 0), entries: loaded.parsed, records: loaded.records.length, parsed: loaded.parsed, reused: 0, problems: loaded.problems };
}
