/** Small OSV records and folders of them, written into fresh temporary folders for the advisory store's tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AdvisorySnapshot } from '../../../server/src/core/advisories/snapshot.js';

/** A record: npm package `name` affected from 0 up to `fixed` (SEMVER), with optional extra fields or ranges. */
export function npmRecord(id: string, name: string, fixed: string, extra: { ranges?: object[]; details?: string } = {}): Record<string, unknown> {
  const ranges = extra.ranges ?? [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }];
  return {
    id,
    modified: '2024-01-01T00:00:00Z',
    summary: `${name} test advisory`,
    ...(extra.details === undefined ? {} : { details: extra.details }),
    affected: [{ package: { ecosystem: 'npm', name }, ranges }],
    database_specific: { severity: 'HIGH' },
  };
}

export const recordText = (record: Record<string, unknown>): string => JSON.stringify(record, null, 2);

const created: string[] = [];

/** A fresh folder under the system's temporary folder; `removeTempFolders` deletes them all. */
export function tempFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'advisory-store-'));
  created.push(dir);
  return dir;
}

export function removeTempFolders(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (relative path → text or bytes) under `dir`, creating folders; returns `dir`. */
export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): string {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

/** The ids of the advisories that affect `version` of npm package `name`. */
export function npmIds(snapshot: AdvisorySnapshot, name: string, version: string): string[] {
  return snapshot.index.lookup(`pkg:npm/${name}`, version).map((m) => m.id);
}
