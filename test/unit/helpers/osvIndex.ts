/**
 * The "Records" table of test/fixtures/osv/INDEX.md, read from the file so that a new row is
 * covered by every test built on it. A cell this reader cannot understand throws, so no row is
 * ever skipped silently.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const OSV_DIR = path.join(__dirname, '../../fixtures/osv');

type IndexSeverity = 'CRITICAL' | 'HIGH' | 'MODERATE' | 'LOW';

/** A version from the "Safe (derived)" or "Affected (derived)" column, with the package it is of when the cell names one. */
export interface DerivedVersion {
  /** The package as the cell names it (`lodash`, `jwt-go/v4`); undefined for the record's first package. */
  package?: string;
  version: string;
}

export interface IndexRow {
  id: string;
  file: string;
  /** The first alias, or undefined for `(none, ...)`. */
  firstAlias?: string;
  ecosystem: string;
  severity: IndexSeverity;
  safe: DerivedVersion;
  affected: DerivedVersion;
  /** Whether the notes call the record withdrawn. */
  withdrawnInNotes: boolean;
}

const COLUMNS = { id: 'ID', aliases: 'Aliases', ecosystem: 'Ecosystem', severity: 'Severity (db) / vectors', safe: 'Safe (derived)', affected: 'Affected (derived)', notes: 'Shape / notes' } as const;

export function readIndexRows(): IndexRow[] {
  const text = readFileSync(path.join(OSV_DIR, 'INDEX.md'), 'utf8');
  const section = text.split(/^## /m).find((s) => s.startsWith('Records'));
  if (!section) throw new Error('INDEX.md has no "## Records" section');
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  const header = cells(lines[0]!);
  const at = (name: string): number => {
    const i = header.indexOf(name);
    if (i === -1) throw new Error(`INDEX.md's Records table has no column "${name}"`);
    return i;
  };
  const col = Object.fromEntries(Object.entries(COLUMNS).map(([key, name]) => [key, at(name)])) as Record<keyof typeof COLUMNS, number>;
  return lines.slice(2).map((line) => {
    const row = cells(line);
    if (row.length !== header.length) throw new Error(`INDEX.md row has ${row.length} cells, the header ${header.length}: ${line}`);
    const id = unquote(row[col.id]!);
    return {
      id,
      file: `${id}.json`,
      firstAlias: firstAlias(row[col.aliases]!, id),
      ecosystem: row[col.ecosystem]!,
      severity: severity(row[col.severity]!, id),
      safe: derivedVersion(row[col.safe]!, id),
      affected: derivedVersion(row[col.affected]!, id),
      withdrawnInNotes: /\bWITHDRAWN\b/.test(row[col.notes]!),
    };
  });
}

function cells(line: string): string[] {
  return line.trim().replace(/^\||\|$/g, '').split(' | ').map((c) => c.trim());
}

function unquote(cell: string): string {
  return cell.replace(/`/g, '').trim();
}

function firstAlias(cell: string, id: string): string | undefined {
  const alias = /^[A-Z]+-\d{4}-\d+/.exec(unquote(cell));
  if (alias) return alias[0];
  if (/^\(none\b/.test(cell)) return undefined;
  throw new Error(`${id}: cannot read the aliases cell "${cell}"`);
}

function severity(cell: string, id: string): IndexSeverity {
  const word = /^(CRITICAL|HIGH|MODERATE|LOW)\b/.exec(cell);
  if (!word) throw new Error(`${id}: cannot read the severity cell "${cell}"`);
  return word[1] as IndexSeverity;
}

/** "`2.12.2`", "lodash 4.17.12", "1.1.3 (below the range: ...)", "jwt-go/v4 4.0.0-preview1 (...)". */
function derivedVersion(cell: string, id: string): DerivedVersion {
  const words = unquote(cell.replace(/\s*\(.*\)\s*$/, '')).split(/\s+/).filter(Boolean);
  if (words.length === 1) return { version: words[0]! };
  if (words.length === 2) return { package: words[0]!, version: words[1]! };
  throw new Error(`${id}: cannot read the version cell "${cell}"`);
}
