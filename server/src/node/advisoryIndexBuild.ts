/**
 * Builds a zip's published index (advisoryPublishedIndex.ts): the zip is loaded as any load would
 * (entries the present index already holds unchanged are taken from it, the rest parsed, on
 * worker threads when many), its package table assembled, and all of it written beside the zip
 * at once (writeFile.ts), so a reader never sees half an index.
 */
import { assembleTable } from '../core/advisories/indexTable.js';
import type { RecordBody, RecordMeta } from '../core/advisories/preparedRecord.js';
import { decodeRecordBody, encodeRecordBody } from '../core/advisories/recordBody.js';
import type { AdvisoryProblem } from '../core/advisories/snapshot.js';
import { bodiesInCacheOrder, bodyOffsets, contiguousRuns, crc32, TOOL_VERSION } from './advisoryCache.js';
import { indexJson } from './advisoryCacheIndex.js';
import { itemsJson } from './advisoryCacheItems.js';
import { BodyWriter, bodyText, type BodyBytes, type ParsedItem } from './advisoryParse.js';
import { completeSource, DEFAULT_ADVISORY_LIMITS, planLoad, withLimits, type AdvisoryLimits } from './advisoryPlan.js';
import { INDEX_FORMAT, INDEX_MAGIC, publishedIndexPath, type IndexEntries, type IndexHeader } from './advisoryPublishedIndex.js';
import { scanSources, type SourceRef } from './advisoryScan.js';
import { runJobs } from './advisoryWorkers.js';
import { describeFsError } from './readFile.js';
import { writeFileAtomically } from './writeFile.js';
import type { ZipEntryRef } from './zipEntries.js';

export type IndexBuild =
  | { file: string; bytes: number; entries: number; records: number; parsed: number; reused: number; problems: AdvisoryProblem[] }
  /** Why no index was written. */
  | { problem: string };

export async function buildPublishedIndex(ref: SourceRef, limits: Partial<AdvisoryLimits> = {}): Promise<IndexBuild> {
  const scan = await scanSources([ref]);
  const scanned = scan.sources[0]!;
  if (scanned.kind === 'missing') return { problem: `cannot be read: ${scanned.problem}` };
  if (scanned.kind !== 'zip') return { problem: `is a ${scanned.kind}; only a zip has a published index (a folder is kept in the per-user cache)` };
  const plan = await planLoad(scan, withLimits(DEFAULT_ADVISORY_LIMITS, limits), new Map(), { wholeZip: false });
  const planned = plan.sources[0]!;
  const run = await runJobs(plan.jobs, plan.items);
  const { result } = completeSource(planned, run.results);
  const entries = planned.zipEntries;
  if (!entries || result.items.length !== entries.length) return { problem: (result.problems[0] ?? result.items[0]?.problems[0])?.message ?? 'cannot be read as a zip' };
  let bytes: number;
  try {
    bytes = writePublishedIndex(ref, planned.shape, entries, result.items);
  } catch (e) {
    return { problem: `${publishedIndexPath(ref.path)} cannot be written (${describeFsError(e)})` };
  }
  const records = result.items.reduce((sum, item) => sum + item.records.length, 0);
  const problems = [...result.problems, ...result.items.flatMap((item) => item.problems)];
  return { file: publishedIndexPath(ref.path), bytes, entries: entries.length, records, parsed: plan.items, reused: plan.reusedFromIndex, problems };
}

function decodedBody(body: BodyBytes): RecordBody {
  const decoded = decodeRecordBody(bodyText(body));
  if (!decoded) throw new Error('a record body from the previous index does not read back');
  return decoded;
}

/** Writes the index of a zip whose listed entries parsed into `items` (one each, same order) under `shape`; returns its size. */
function writePublishedIndex(ref: SourceRef, shape: string, entries: readonly ZipEntryRef[], items: readonly ParsedItem[]): number {
  const base = `${ref.path}!`;
  const metas: RecordMeta[] = [];
  const bodies: (BodyBytes | undefined)[] = [];
  const fileProblems: AdvisoryProblem[] = [];
  // Bodies taken from an index written at another path name that path: written again with this one.
  const moved = new BodyWriter();
  for (const item of items) {
    fileProblems.push(...item.problems);
    for (const record of item.records) {
      metas.push(record.meta);
      bodies.push(record.body && item.foreignBodies ? moved.add(encodeRecordBody({ ...decodedBody(record.body), source: record.meta.source })) : record.body);
    }
  }
  moved.finish();
  const table = assembleTable(metas);
  const { ordered, bodyNumbers } = bodiesInCacheOrder(bodies, table.kept);
  const offsets = bodyOffsets(ordered);
  const itemsText = itemsJson([{ shape, base, problems: [], items: [...items] }], bodyNumbers, offsets);
  if (itemsText === undefined) throw new Error('a record does not lie in its zip');
  const tableText = indexJson({ sources: [{ entry: ref.entry, path: ref.path, kind: 'zip', records: metas.length }], fileProblems, table }, offsets);
  const entriesJson: IndexEntries = { names: entries.map((e) => e.name), crcs: entries.map((e) => e.crc), sizes: entries.map((e) => e.size) };
  const sections = [Buffer.from(JSON.stringify(entriesJson)), Buffer.from(itemsText), Buffer.from(tableText), ...contiguousRuns(ordered)];
  const sizes: IndexHeader['sizes'] = [sections[0]!.length, sections[1]!.length, sections[2]!.length, offsets[offsets.length - 1]!];
  const header: IndexHeader = { magic: INDEX_MAGIC, format: INDEX_FORMAT, tool: TOOL_VERSION, shape, entry: ref.entry, base, sizes, crc: sections.reduce((sum, chunk) => crc32(chunk, sum), 0) };
  const headerLine = Buffer.from(`${JSON.stringify(header)}\n`);
  writeFileAtomically(publishedIndexPath(ref.path), [headerLine, ...sections], 0o644);
  return headerLine.length + sizes.reduce((a, b) => a + b, 0);
}
