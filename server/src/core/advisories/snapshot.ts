/** What the adapters hand the core about advisories: the index, and how its sources fared. */
import type { AdvisoryIndex } from './advisoryIndex.js';

export interface SourceStatus {
  /** The source as the policy wrote it. */
  entry: string;
  path: string;
  kind: 'folder' | 'zip' | 'file' | 'missing';
  records: number;
  problem?: string;
  /** When `playbook advisories --update` last fetched this zip (its `.fetch.json` sidecar), ISO date-time. */
  fetchedAt?: string;
  /** The newest `modified` among the source's records, ISO date-time: the age of hand-made data. */
  newestModified?: string;
}

/** A record or source that could not be used, for PB110. */
export interface AdvisoryProblem {
  /** The policy's `advisories` entry it came from ('' for problems of the whole set). */
  entry: string;
  /** The file (or `zip!entry`) at fault ('' when not one file). */
  file: string;
  message: string;
  severity: 'warning' | 'info';
}

export interface AdvisorySnapshot {
  index: AdvisoryIndex;
  sources: SourceStatus[];
  problems: AdvisoryProblem[];
}
