/**
 * A record body read back from text (a worker's output or the on-disk cache). The text is not
 * trusted: anything not shaped as a lookup expects is refused (undefined), so a damaged body can
 * only make its record missing, never make a lookup throw.
 */
import type { RecordBody } from './preparedRecord.js';

const SEVERITIES = new Set(['CRITICAL', 'HIGH', 'MODERATE', 'LOW']);
const SEVERITY_SOURCES = new Set(['database_specific', 'cvss', 'ubuntu']);
const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

export function encodeRecordBody(body: RecordBody): string {
  return JSON.stringify(body);
}

export function decodeRecordBody(text: string): RecordBody | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isRecordBody(value) ? value : undefined;
}

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const isOptional = (v: unknown, check: (x: unknown) => boolean): boolean => v === undefined || check(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every(isString);

function isSeverityVerdict(severity: unknown): boolean {
  if (!isObject(severity)) return false;
  if (!isOptional(severity['severity'], (s) => SEVERITIES.has(s as string)) || !isOptional(severity['source'], (s) => SEVERITY_SOURCES.has(s as string))) return false;
  return isOptional(severity['score'], (s) => typeof s === 'number' && Number.isFinite(s)) && isOptional(severity['vector'], isString) && isOptional(severity['field'], isString);
}

function isRecordBody(value: unknown): value is RecordBody {
  if (!isObject(value) || !isString(value['source']) || !isSeverityVerdict(value['severity']) || !isObject(value['record'])) return false;
  const record = value['record'];
  if (!isString(record['id']) || !isString(record['modified']) || !isOptional(record['published'], isString)) return false;
  if (!isOptional(record['aliases'], isStrings) || !isOptional(record['summary'], isString) || !isOptional(record['details'], isString)) return false;
  if (!Array.isArray(record['affected']) || record['affected'].length === 0 || !record['affected'].every(isAffected)) return false;
  // One verdict per entry, or none at all (a body written before entries had their own).
  const perEntry = value['entrySeverities'];
  if (perEntry !== undefined && !(Array.isArray(perEntry) && perEntry.length === record['affected'].length && perEntry.every(isSeverityVerdict))) return false;
  return isOptional(value['positions'], (positions) => arePositions(positions, record['affected'] as Loose[]));
}

/** Per entry, its line and column and two numbers per range: the shape recordPositions.ts writes, for exactly these entries. */
function arePositions(positions: unknown, affected: readonly Loose[]): boolean {
  if (!Array.isArray(positions) || positions.length !== affected.length) return false;
  return positions.every((at, i) => {
    const ranges = affected[i]!['ranges'];
    const expected = 2 + 2 * (Array.isArray(ranges) ? ranges.length : 0);
    return Array.isArray(at) && at.length === expected && at.every((n) => Number.isSafeInteger(n) && (n as number) >= 0);
  });
}

function isAffected(entry: unknown): boolean {
  if (!isObject(entry) || !isObject(entry['package'])) return false;
  const pkg = entry['package'];
  if (!isString(pkg['ecosystem']) || !isString(pkg['name']) || !isOptional(pkg['purl'], isString)) return false;
  return isOptional(entry['versions'], isStrings) && isOptional(entry['ranges'], (ranges) => Array.isArray(ranges) && ranges.every(isRange));
}

function isRange(range: unknown): boolean {
  if (!isObject(range) || !isString(range['type']) || !Array.isArray(range['events'])) return false;
  return range['events'].every((event) => isObject(event) && EVENT_KEYS.every((key) => isOptional(event[key], isString)));
}
