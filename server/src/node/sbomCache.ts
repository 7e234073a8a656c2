/**
 * Parsed SBOMs kept per user, in the advisory cache's folder. A release's SBOM does not change once
 * published, and a fresh process reads a 2 MB one in ~100 ms (~25 ms once warm): the editor's first
 * check of a playbook would pay that for each target release every time it opens. Each file also
 * keeps, per advisory data key, which components had advisories (the core's ComponentMatchMemo),
 * so a first check looks up those few components, not 2,000.
 *
 * One file per SBOM file as it is on disk, `sbom-<hash>.cache`, in the tool's one format
 * (cacheFile.ts): the parse result as JSON, then the matches as JSON (`{ dataKey: [component
 * numbers] }`, the last few keys). Keyed by the code, the limits and the file's identity (device,
 * inode, size, modification and change times, as the advisory sources are), so a hit reads no byte
 * of the SBOM: any write to it changes its change time. Nothing in the file is trusted: another
 * key, size or checksum, or a shape other than written, is no file, and the SBOM is parsed again.
 */
import type { BigIntStats, Stats } from 'node:fs';
import type { ComponentMatchMemo, ParsedSbom } from '../core/index.js';
import { cacheFileIn, ownedByUs, writeCacheFile } from './advisoryCacheDir.js';
import { contentKey, encodeCacheFile, parseJson, readCacheFile } from './cacheFile.js';

const MAGIC = 'incident-playbook sbom';
/** Data keys whose matches a file keeps: a few policies' advisory sets, and the one before an update. */
const KEPT_DATA_KEYS = 4;

export type SbomParse = ParsedSbom | { problem: string };

/** One SBOM's place in the cache: what was kept (undefined on a miss), and the memo to hand the core. */
export interface CachedSbom {
  parsed: SbomParse | undefined;
  /** Writes the parse (on a miss) and each new answer, after the check that needed them. */
  keep(parsed: SbomParse): ComponentMatchMemo;
}

/** What names a file's content as it is on disk (what `scanSources` fingerprints an advisory file by). */
export function fileIdentity(stat: Stats | BigIntStats): string {
  return [stat.dev, stat.ino, stat.size, stat.mtimeMs, stat.ctimeMs].map(String).join(':');
}

/** `dir`: the cache folder, or undefined when nothing is cached (`PLAYBOOK_CACHE_DIR=off`); `identity`: the SBOM file's (`fileIdentity`). */
export function cachedSbom(dir: string | undefined, identity: string, limits: object): CachedSbom {
  const key = contentKey(['sbom', limits, identity]);
  const file = dir === undefined ? undefined : cacheFileIn(dir, key, 'sbom');
  const sections = file === undefined ? undefined : readCacheFile(file, MAGIC, key, 2, Number.MAX_SAFE_INTEGER, ownedByUs);
  const parsed = sections && parseJson(sections[0]!.toString('utf8'));
  const kept = sections && parseJson(sections[1]!.toString('utf8'));
  const hit = isParse(parsed) ? parsed : undefined;
  const matches = new Map(hit && isMatches(kept) ? Object.entries(kept) : []);
  return {
    parsed: hit,
    keep(result) {
      let pending: NodeJS.Immediate | undefined;
      const write = (): void => {
        pending ??= setImmediate(() => {
          pending = undefined;
          const chunks = encodeCacheFile(MAGIC, key, [Buffer.from(JSON.stringify(result)), Buffer.from(JSON.stringify(Object.fromEntries(matches)))]);
          writeCacheFile(dir!, file!, chunks);
        });
      };
      if (file !== undefined && !hit) write();
      return {
        get: (dataKey) => matches.get(dataKey),
        set: (dataKey, components) => {
          matches.delete(dataKey);
          matches.set(dataKey, [...components]);
          while (matches.size > KEPT_DATA_KEYS) matches.delete(matches.keys().next().value!);
          if (file !== undefined) write();
        },
      };
    },
  };
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every(isString);
const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

function isMatches(v: unknown): v is Record<string, number[]> {
  return isObject(v) && Object.values(v).every((list) => Array.isArray(list) && list.every(isCount));
}

/** Shaped as `parseSbom` returns it (the core checks the component numbers of matches against the components). */
function isParse(v: unknown): v is SbomParse {
  if (!isObject(v)) return false;
  if (Object.keys(v).length === 1 && isString(v['problem'])) return true;
  if ((v['format'] !== 'CycloneDX' && v['format'] !== 'SPDX') || !isString(v['specVersion']) || !isStrings(v['digests'])) return false;
  if (!isCount(v['withoutPurl']) || !isStrings(v['notes']) || !isStrings(v['problems'])) return false;
  return (v['root'] === undefined || isComponent(v['root'])) && Array.isArray(v['components']) && v['components'].every(isComponent);
}

function isComponent(v: unknown): boolean {
  if (!isObject(v) || !isString(v['name']) || !isObject(v['position'])) return false;
  const { line, character } = v['position'];
  return isCount(line) && isCount(character) && ['version', 'purl'].every((k) => v[k] === undefined || isString(v[k]));
}
