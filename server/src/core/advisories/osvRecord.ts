/** Reads one OSV record from text: JSON, then the fields matching relies on, range by range. */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { OSV_RECORD_SCHEMA } from './osvSchema.js';
import type { OsvAffected, OsvEvent, OsvRange, OsvRecord } from './types.js';

/**
 * A usable record, with `problems` (parts that are broken and were dropped, e.g. a range of an
 * unknown type) and `notes` (parts skipped on purpose, e.g. GIT ranges); or why the whole record
 * cannot be used.
 */
export type OsvParseResult = { record: OsvRecord; problems: string[]; notes: string[] } | { problem: string };

const RANGE_TYPES = new Set(['SEMVER', 'ECOSYSTEM', 'GIT']);
const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

let validator: ValidateFunction | undefined;
function validateRecord(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: true }).compile(OSV_RECORD_SCHEMA);
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

/** `/affected/0/ranges/1/type` → `affected[0].ranges[1].type`. */
function fieldPath(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').slice(1);
  if (child !== undefined) parts.push(child);
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

const TYPE_NAMES: Readonly<Record<string, string>> = { string: 'a string', array: 'a list', object: 'an object' };

function describeError(error: ErrorObject): string {
  const path = fieldPath(error.instancePath);
  const subject = path === '' ? 'the record' : `\`${path}\``;
  switch (error.keyword) {
    case 'required': {
      const missing = String(error.params['missingProperty']);
      if (path === '' && missing === 'affected') return 'has no `affected` list, so it cannot match any package';
      return `${subject} needs \`${missing}\``;
    }
    case 'type':
      return `${subject} must be ${TYPE_NAMES[String(error.params['type'])] ?? String(error.params['type'])}`;
    case 'minItems':
    case 'minLength':
      return path === 'affected' ? '`affected` is empty, so it cannot match any package' : `${subject} must not be empty`;
    default:
      return `${subject} ${error.message ?? 'is invalid'}`;
  }
}

export function parseOsvRecord(text: string, source: string): OsvParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { problem: `${source}: not valid JSON (${(error as Error).message})` };
  }
  const errors = validateRecord(value);
  if (errors.length > 0) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    return { problem: `${source}: ${describeError(errors[0]!)}${more}` };
  }
  const raw = value as OsvRecord & { affected: Partial<OsvAffected>[] };
  const problems: string[] = [];
  const notes: string[] = [];
  const affected: OsvAffected[] = [];
  raw.affected.forEach((entry, i) => {
    if (!entry.package) {
      notes.push(`${source}: \`affected[${i}]\` names no package; skipped`);
      return;
    }
    const ranges = (entry.ranges ?? []).filter((range, j) => keepRange(range, `affected[${i}].ranges[${j}]`, source, problems, notes));
    affected.push({ ...entry, package: entry.package, ...(entry.ranges ? { ranges } : {}) });
  });
  if (affected.length === 0) return { problem: `${source}: no \`affected\` entry names a package, so it cannot match anything` };
  return { record: { ...raw, affected }, problems, notes };
}

/** Whether a range can be evaluated; says why not otherwise. */
function keepRange(range: OsvRange, path: string, source: string, problems: string[], notes: string[]): boolean {
  if (!RANGE_TYPES.has(range.type)) {
    problems.push(`${source}: \`${path}.type\` must be SEMVER, ECOSYSTEM or GIT, not \`${range.type}\`; that range is skipped`);
    return false;
  }
  if (range.type === 'GIT') {
    notes.push(`${source}: \`${path}\` is a GIT range (commit hashes, not versions); skipped`);
    return false;
  }
  const shapeless = range.events.findIndex((event) => eventKind(event) === undefined);
  if (shapeless !== -1) {
    problems.push(`${source}: \`${path}.events[${shapeless}]\` must have one of ${EVENT_KEYS.join(', ')}; that range is skipped`);
    return false;
  }
  if (!range.events.some((event) => event.introduced !== undefined)) {
    problems.push(`${source}: \`${path}\` has no \`introduced\` event, so it cannot affect any version; that range is skipped`);
    return false;
  }
  return true;
}

export function eventKind(event: OsvEvent): (typeof EVENT_KEYS)[number] | undefined {
  return EVENT_KEYS.find((key) => typeof event[key] === 'string');
}
