/**
 * The sidecar `playbook advisories --update` writes beside each zip it fetches,
 * `<Ecosystem>.zip.fetch.json`: when and from where the zip was fetched, and the validators for
 * the next conditional request. Loads read `fetchedAt` to tell how old the data is (PB110, the
 * status bar). A sidecar that is missing, unreadable or out of shape is no fetch record: the data
 * then counts as hand-made, and its age is its newest record's `modified`.
 */
import { readFileBounded } from './readFile.js';
import { writeFileAtomically } from './writeFile.js';

export interface FetchRecord {
  /** The URL the zip was fetched from. */
  url: string;
  /** When it was last fetched or confirmed unchanged (a 304), as an ISO date-time. */
  fetchedAt: string;
  /** The response's validators, sent back as `If-None-Match` / `If-Modified-Since`. */
  etag?: string;
  lastModified?: string;
  /** The zip's size in bytes. */
  bytes: number;
}

export const FETCH_RECORD_SUFFIX = '.fetch.json';
const MAX_BYTES = 64 * 1024;

function fetchRecordPath(zipPath: string): string {
  return zipPath + FETCH_RECORD_SUFFIX;
}

export function readFetchRecord(zipPath: string): FetchRecord | undefined {
  const bytes = readFileBounded(fetchRecordPath(zipPath), MAX_BYTES);
  if (!bytes) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  return isFetchRecord(value) ? value : undefined;
}

export function writeFetchRecord(zipPath: string, record: FetchRecord): void {
  writeFileAtomically(fetchRecordPath(zipPath), [`${JSON.stringify(record, null, 2)}\n`], 0o644);
}

function isFetchRecord(value: unknown): value is FetchRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const optionalString = (x: unknown): boolean => x === undefined || typeof x === 'string';
  return typeof v['url'] === 'string' && typeof v['fetchedAt'] === 'string' && !Number.isNaN(Date.parse(v['fetchedAt'])) &&
    typeof v['bytes'] === 'number' && Number.isInteger(v['bytes']) && v['bytes'] >= 0 && optionalString(v['etag']) && optionalString(v['lastModified']);
}
