/**
 * The package table: prepared records assembled into lookup keys → (record, entry) pairs, with the
 * counts and the load-time problems and notes. One record per id survives (the newest `modified`);
 * withdrawn ones are counted and left out. Records are renumbered 0..n-1 in the order they are
 * first met, and `kept[n]` says which prepared record each number stands for.
 */
import type { RecordMeta } from './preparedRecord.js';

export interface AdvisoryCounts {
  /** Records in the index (withdrawn and duplicate ones excluded). */
  records: number;
  withdrawn: number;
  /** Records whose id appeared again in another source; the newest `modified` was kept. */
  duplicates: number;
  /** Indexed records per ecosystem (a record naming two ecosystems counts in both). */
  byEcosystem: Record<string, number>;
}

export interface IndexTable {
  /** Key → flat pairs `[record, entry, record, entry, …]`, in the order they were filed. */
  filings: Map<string, number[]>;
  /** Position among the prepared records of each indexed record. */
  kept: number[];
  counts: AdvisoryCounts;
  /** Data that is wrong in a way that hides advisories (worth a warning). */
  problems: string[];
  /** Things skipped on purpose (worth an info note). */
  notes: string[];
}

export function assembleTable(metas: readonly RecordMeta[]): IndexTable {
  const table: IndexTable = { filings: new Map(), kept: [], counts: { records: 0, withdrawn: 0, duplicates: 0, byEcosystem: {} }, problems: [], notes: [] };
  for (const at of newestPerId(metas, table)) {
    const meta = metas[at]!;
    if (meta.withdrawn) {
      table.counts.withdrawn++;
      continue;
    }
    const record = table.kept.length;
    table.kept.push(at);
    table.counts.records++;
    for (let i = 0; i < meta.keys.length; i++) {
      const list = table.filings.get(meta.keys[i]!);
      if (list) list.push(record, meta.entries[i]!);
      else table.filings.set(meta.keys[i]!, [record, meta.entries[i]!]);
    }
    for (const problem of meta.problems) table.problems.push(problem);
    for (const name of meta.ecosystems) table.counts.byEcosystem[name] = (table.counts.byEcosystem[name] ?? 0) + 1;
  }
  return table;
}

/** One record per id: the newest `modified` wins, so a later withdrawal or fix is honoured. */
function newestPerId(metas: readonly RecordMeta[], table: IndexTable): Iterable<number> {
  const byId = new Map<string, number>();
  metas.forEach((meta, at) => {
    const keptAt = byId.get(meta.id);
    if (keptAt === undefined) {
      byId.set(meta.id, at);
      return;
    }
    const kept = metas[keptAt]!;
    table.counts.duplicates++;
    const newer = Date.parse(meta.modified) > Date.parse(kept.modified) ? at : keptAt;
    byId.set(meta.id, newer);
    const why = newer === at ? 'its `modified` is newer' : 'the other is not newer';
    table.notes.push(`${meta.id} is in both ${kept.source} and ${meta.source}; using ${metas[newer]!.source} (${why})`);
  });
  return byId.values();
}
