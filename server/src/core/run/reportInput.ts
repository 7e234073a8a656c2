/**
 * The record as the report reads it: each event checked against the shape its type promises
 * before anything reads a field. A record is a file anyone could have edited (the chain says
 * whether someone did; it cannot make a line well-formed), so an event of an unknown type or with
 * a field of the wrong kind is set aside with a problem in words, never a stack trace; and the
 * report reads only the fields a type names, so nothing else in a line reaches it.
 */
import type { RecordedEvent } from './events.js';

type EventType = RecordedEvent['type'];

type Scalar = 'string' | 'number' | 'boolean' | 'strings' | 'numbers';
/** A field's kind: a scalar, one of some words, an object of a shape, or a list of objects. */
type Kind =
  | { scalar: Scalar; optional?: true; nullable?: true }
  | { oneOf: readonly string[] }
  | { object: Shape; optional?: true }
  | { list: Shape };
type Shape = Readonly<Record<string, Kind>>;

const text: Kind = { scalar: 'string' };
const maybeText: Kind = { scalar: 'string', optional: true };
const textOrNull: Kind = { scalar: 'string', nullable: true };
const count: Kind = { scalar: 'number' };

const DELIVERY: Kind = { object: { status: { oneOf: ['delivered', 'queued', 'failed', 'given-up', 'not-configured'] }, attempts: count, httpStatus: { scalar: 'number', optional: true }, error: maybeText } };
const ADVISORIES: Kind = {
  list: {
    id: text, aliases: { scalar: 'strings' }, severity: textOrNull,
    component: { object: { name: text, version: textOrNull, purl: textOrNull }, optional: true },
    decidedBy: { object: { file: text, status: text, justification: maybeText }, optional: true },
  },
};

const SHAPES: Readonly<Record<EventType, Shape>> = {
  'run-started': {
    playbook: { object: { id: text, title: maybeText, file: text, sha256: text } },
    tool: { object: { name: text, version: text } },
    mode: { oneOf: ['editor', 'answers'] },
  },
  'step-started': { step: text, index: count },
  'step-done': { step: text, note: maybeText },
  'step-failed': { step: text, note: maybeText },
  'approval': { step: text, approver: maybeText, decision: { oneOf: ['granted', 'denied', 'failed'] }, note: maybeText },
  'notification': { id: count, step: maybeText, channel: text, target: maybeText, message: text, auto: { scalar: 'boolean' }, delivery: DELIVERY },
  'delivery': { notification: count, delivery: DELIVERY },
  'release-check': { step: text, service: text, version: text, standing: ADVISORIES, decided: ADVISORIES, acknowledged: { scalar: 'boolean' } },
  'deviation': { step: text, kind: { oneOf: ['skipped'] }, reason: text },
  'run-ended': { outcome: { oneOf: ['resolved', 'aborted', 'blocked', 'abandoned'] }, path: { scalar: 'strings' }, undelivered: { scalar: 'numbers' } },
};

const COMMON: Shape = { seq: count, at: text, by: text, prev: text };

export interface ReadRecord {
  events: RecordedEvent[];
  /** One line per event set aside: "event 4 was set aside: a notification event whose message is not text". */
  problems: string[];
}

export function readRecord(events: readonly unknown[]): ReadRecord {
  const out: RecordedEvent[] = [];
  const problems: string[] = [];
  events.forEach((event, i) => {
    const problem = eventProblem(event);
    if (problem === undefined) out.push(event as RecordedEvent);
    else problems.push(`${eventName(event, i)} was set aside: ${problem}`);
  });
  return { events: out, problems };
}

/** "event 4" by its `seq` when it has one, else by its place. */
function eventName(event: unknown, i: number): string {
  return isObject(event) && typeof event.seq === 'number' && Number.isSafeInteger(event.seq) ? `event ${event.seq}` : `event number ${i + 1} in the record`;
}

function eventProblem(event: unknown): string | undefined {
  if (!isObject(event)) return 'it is not an object';
  const type = event.type;
  if (typeof type !== 'string' || !Object.hasOwn(SHAPES, type)) return 'its type is not one a record holds';
  const wrong = shapeProblem(event, COMMON, '') ?? shapeProblem(event, SHAPES[type as EventType], '');
  return wrong === undefined ? undefined : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} event whose ${wrong}`;
}

function shapeProblem(value: Record<string, unknown>, shape: Shape, path: string): string | undefined {
  for (const [field, kind] of Object.entries(shape)) {
    const problem = fieldProblem(value[field], kind, `${path}${field}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function fieldProblem(item: unknown, kind: Kind, name: string): string | undefined {
  if ('oneOf' in kind) return typeof item === 'string' && kind.oneOf.includes(item) ? undefined : `${name} is not one of ${kind.oneOf.join(', ')}`;
  if ('list' in kind) {
    if (!Array.isArray(item)) return `${name} is not a list`;
    for (const [i, element] of item.entries()) {
      const problem = isObject(element) ? shapeProblem(element, kind.list, `${name}[${i}].`) : `${name}[${i}] is not an object`;
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (item === undefined && kind.optional) return undefined;
  if ('object' in kind) return isObject(item) ? shapeProblem(item, kind.object, `${name}.`) : `${name} is not an object`;
  if (item === null && kind.nullable) return undefined;
  return isScalar(item, kind.scalar) ? undefined : `${name} is not ${SCALAR_WORDS[kind.scalar]}`;
}

const SCALAR_WORDS: Readonly<Record<Scalar, string>> = { string: 'text', number: 'a number', boolean: 'true or false', strings: 'a list of text', numbers: 'a list of numbers' };

function isScalar(item: unknown, scalar: Scalar): boolean {
  switch (scalar) {
    case 'string': return typeof item === 'string';
    case 'number': return typeof item === 'number' && Number.isFinite(item);
    case 'boolean': return typeof item === 'boolean';
    case 'strings': return Array.isArray(item) && item.every((s) => typeof s === 'string');
    case 'numbers': return Array.isArray(item) && item.every((n) => typeof n === 'number' && Number.isFinite(n));
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
