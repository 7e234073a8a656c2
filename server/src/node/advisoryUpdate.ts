/**
 * `playbook advisories --update` and the editor's "Update Advisories": each ecosystem's OSV export,
 * `<mirror>/<Ecosystem>/all.zip`, fetched into `<dir>/<Ecosystem>.zip` with its fetch record
 * beside it. A download replaces the zip only once it reads as a zip of OSV records within the
 * policy's limits; an unchanged one (304) keeps the zip and records the fetch. Each ecosystem
 * succeeds or fails on its own, and says which.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Dispatcher } from 'undici';
import { DEFAULT_ADVISORY_LIMITS, type AdvisoryLimits } from './advisoryStore.js';
import { downloadFile, proxyAwareDispatcher, DEFAULT_TIMEOUTS, type Timeouts } from './advisoryDownload.js';
import { readFetchRecord, writeFetchRecord, type FetchRecord } from './advisoryFetchRecord.js';
import { listZipJsonEntries, readZipBytes, type ZipLimits } from './zipEntries.js';

export const OSV_MIRROR = 'https://osv-vulnerabilities.storage.googleapis.com';

export interface UpdatePlan {
  /** The folder the zips go to. */
  dir: string;
  /** The base URL; `<Ecosystem>/all.zip` is fetched below it. */
  mirror: URL;
  ecosystems: readonly string[];
  limits: AdvisoryLimits;
}

export interface UpdateOptions {
  userAgent: string;
  timeouts?: Partial<Timeouts>;
  signal?: AbortSignal;
  onProgress?(ecosystem: string, received: number, total: number | undefined): void;
  /** When each fetch happened (tests pass a fixed one). */
  now?(): Date;
}

export interface EcosystemUpdate {
  ecosystem: string;
  /** The zip's path. */
  file: string;
  /** Where it was fetched from, without any credentials written in the mirror's URL. */
  url: string;
  outcome: 'updated' | 'not-modified' | 'failed';
  /** Why it failed; the zip and its fetch record are as they were. */
  problem?: string;
  cancelled?: true;
  /** The zip's size and its JSON entries (records), when it was updated. */
  bytes?: number;
  records?: number;
  fetchedAt?: string;
}

export async function updateAdvisories(plan: UpdatePlan, options: UpdateOptions): Promise<EcosystemUpdate[]> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const dispatcher = await proxyAwareDispatcher(timeouts);
  const results: EcosystemUpdate[] = [];
  try {
    for (const ecosystem of plan.ecosystems) {
      if (options.signal?.aborted) {
        results.push({ ecosystem, file: zipPath(plan.dir, ecosystem), url: shownUrl(exportUrl(plan.mirror, ecosystem)), outcome: 'failed', problem: 'cancelled', cancelled: true });
        continue;
      }
      results.push(await updateOne(plan, ecosystem, dispatcher, timeouts, options));
    }
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
  return results;
}

async function updateOne(plan: UpdatePlan, ecosystem: string, dispatcher: Dispatcher, timeouts: Timeouts, options: UpdateOptions): Promise<EcosystemUpdate> {
  const file = zipPath(plan.dir, ecosystem);
  const url = exportUrl(plan.mirror, ecosystem);
  const shown = shownUrl(url);
  const base = { ecosystem, file, url: shown };
  try {
    await fs.mkdir(plan.dir, { recursive: true });
  } catch (error) {
    return { ...base, outcome: 'failed', problem: `the folder ${plan.dir} cannot be created (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  const previous = await reusableRecord(file, shown);
  const zipLimits: ZipLimits = { maxEntryBytes: plan.limits.maxRecordBytes, maxEntries: plan.limits.maxZipEntries, maxZipBytes: plan.limits.maxZipBytes };
  let records = 0;
  const result = await downloadFile(url, file, {
    etag: previous?.etag,
    lastModified: previous?.lastModified,
    maxBytes: plan.limits.maxZipBytes,
    dispatcher,
    timeouts,
    userAgent: options.userAgent,
    signal: options.signal,
    onProgress: options.onProgress && ((received, total) => options.onProgress!(ecosystem, received, total)),
    verify: async (temporary) => {
      const checked = await checkZip(temporary, zipLimits);
      if (typeof checked === 'string') return checked;
      records = checked;
      return undefined;
    },
  });
  if (result.outcome === 'failed') return { ...base, outcome: 'failed', problem: result.problem, ...(result.cancelled ? { cancelled: true as const } : {}) };
  const fetchedAt = (options.now?.() ?? new Date()).toISOString();
  const record: FetchRecord = result.outcome === 'updated'
    ? { url: shown, fetchedAt, ...validators(result), bytes: result.bytes }
    : { ...previous!, fetchedAt, ...validators({ etag: result.etag ?? previous!.etag, lastModified: result.lastModified ?? previous!.lastModified }) };
  try {
    writeFetchRecord(file, record);
  } catch (error) {
    const what = result.outcome === 'updated' ? 'the zip was replaced, but its fetch record' : 'its fetch record';
    return { ...base, outcome: 'failed', problem: `${what} cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)}), so its age is not known` };
  }
  return result.outcome === 'updated' ? { ...base, outcome: 'updated', bytes: result.bytes, records, fetchedAt } : { ...base, outcome: 'not-modified', fetchedAt };
}

/**
 * The last fetch's validators are sent only for the zip that fetch wrote: same URL, and the zip
 * still there at the size recorded. A zip replaced or removed by hand is fetched whole, and so is
 * one whose record holds a validator no request header can carry (a record edited by hand).
 */
async function reusableRecord(file: string, url: string): Promise<FetchRecord | undefined> {
  const record = readFetchRecord(file);
  if (!record || record.url !== url || (record.etag === undefined && record.lastModified === undefined)) return undefined;
  if (![record.etag, record.lastModified].every((v) => v === undefined || HEADER_VALUE.test(v))) return undefined;
  const stat = await fs.lstat(file).catch(() => undefined);
  return stat?.isFile() && stat.size === record.bytes ? record : undefined;
}

/** Visible ASCII, spaces and tabs, and not too long: what a validator sent back as a header may hold. */
const HEADER_VALUE = /^[\t\x20-\x7e]{1,1024}$/;

/** The number of JSON entries, or why the download is not a zip of OSV records to use. */
async function checkZip(file: string, limits: ZipLimits): Promise<number | string> {
  const zip = await readZipBytes(file, limits);
  if ('problem' in zip) return `the download is not usable: ${zip.problem}`;
  const directory = listZipJsonEntries(zip.bytes, limits);
  if (directory.problem) return `the download is not usable: ${directory.problem}`;
  const records = directory.entries.length + directory.oversized.length;
  // An empty export would replace the advisories with none, and silence reads as safety.
  if (records === 0) return 'the download is not usable: it holds no JSON records';
  return records;
}

function validators(v: { etag?: string; lastModified?: string }): Pick<FetchRecord, 'etag' | 'lastModified'> {
  return { ...(v.etag !== undefined ? { etag: v.etag } : {}), ...(v.lastModified !== undefined ? { lastModified: v.lastModified } : {}) };
}

/** The file name comes from the ecosystem (one of OSV's names), never from the server. */
export function zipPath(dir: string, ecosystem: string): string {
  return path.join(dir, `${ecosystem}.zip`);
}

function exportUrl(mirror: URL, ecosystem: string): URL {
  const base = new URL(mirror);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return new URL(`${encodeURIComponent(ecosystem)}/all.zip`, base);
}

/** A URL as it may be shown and recorded: credentials written in it are left out. */
export function shownUrl(url: URL): string {
  const bare = new URL(url);
  bare.username = '';
  bare.password = '';
  return bare.toString();
}

export function limitsOf(policyLimits: Partial<AdvisoryLimits>): AdvisoryLimits {
  const out = { ...DEFAULT_ADVISORY_LIMITS };
  for (const key of Object.keys(out) as Array<keyof AdvisoryLimits>) {
    const value = policyLimits[key];
    if (typeof value === 'number') out[key] = value;
  }
  return out;
}
