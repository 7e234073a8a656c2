/**
 * Turns ajv errors into PB002 findings a person understands, on the offending key or value:
 * "step `roll-back`: `rollback` needs `to` (the version to roll back to)".
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, type Document, type Node } from 'yaml';
import { firstLineOf, nodeRange } from '../parse/yamlNodes.js';
import type { Finding, OffsetRange } from '../types.js';
import { didYouMean, nearest } from '../util/suggest.js';
import { locate, locateKey, pointerSegments } from './locate.js';

export interface SchemaCheck {
  doc: Document.Parsed;
  /** The document as plain data (see toPlainData); undefined when it could not be expanded. */
  data: unknown;
  validate: ValidateFunction;
  text: string;
  /** "the playbook" or "the policy": what the root is called in messages. */
  subject: string;
  /** A name for the object at a path, e.g. "step `roll-back`" for ['steps', '2']. */
  labelFor: (segments: string[]) => string | undefined;
}

interface SchemaInfo {
  title?: string;
  enum?: unknown[];
  patternErrorMessage?: string;
  /** Why a value a `not` refuses is refused (VS Code's JSON support shows the same words). */
  errorMessage?: string;
  properties?: Record<string, SchemaInfo>;
  const?: unknown;
}

export function schemaFindings(check: SchemaCheck): Finding[] {
  if (check.data === null || check.data === undefined) {
    return [finding(`the file is empty: ${check.subject} needs ${requiredList(check.validate.schema)}`, { start: 0, end: 0 })];
  }
  if (check.validate(check.data)) return [];
  const errors = check.validate.errors ?? [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const f = describe(error, errors, check);
    if (!f) continue;
    const dedupe = `${f.range.start}:${f.range.end}:${f.message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    out.push(f);
  }
  return out;
}

function describe(error: ErrorObject, all: ErrorObject[], check: SchemaCheck): Finding | undefined {
  const segments = pointerSegments(error.instancePath);
  const located = locate(check.doc, segments);
  const label = check.labelFor(segments);
  const parent = (error.parentSchema ?? {}) as SchemaInfo;
  const fieldName = lastName(segments);
  const valueRange = nodeRange(located.node, nodeRange(located.key));
  const prefix = label && !isLabelledObject(segments, check) ? `${label}: ` : label ? `${label}` : '';
  switch (error.keyword) {
    case 'required': {
      if (error.schemaPath.includes('/anyOf/')) return undefined; // reported once by the anyOf error
      const missing = String(error.params.missingProperty);
      const title = parent.properties?.[missing]?.title;
      const where = whereLabel(segments, label, check.subject);
      const owner = actionOf(located.node) ?? where;
      const message = owner === where
        ? `${where} needs \`${missing}\`${title ? ` (${title})` : ''}`
        : `${where}: \`${owner}\` needs \`${missing}\`${title ? ` (${title})` : ''}`;
      return finding(message, requiredAnchor(check.doc, segments, located), { missing });
    }
    case 'anyOf': {
      const options = all
        .filter((e) => e.keyword === 'required' && e.instancePath === error.instancePath && e.schemaPath.startsWith(error.schemaPath.replace(/anyOf$/, 'anyOf/')))
        .map((e) => String(e.params.missingProperty));
      if (options.length === 0) return undefined;
      const where = whereLabel(segments, label, check.subject);
      const owner = actionOf(located.node);
      const list = options.map((o) => `\`${o}\`${parent.properties?.[o]?.title ? ` (${parent.properties[o].title})` : ''}`).join(' or ');
      return finding(`${where}: ${owner ? `\`${owner}\` ` : ''}needs ${list}`, requiredAnchor(check.doc, segments, located), { missing: options });
    }
    case 'additionalProperties': {
      const extra = String(error.params.additionalProperty);
      const known = Object.keys(parent.properties ?? {});
      const suggestion = nearest(extra, known);
      const owner = actionOf(located.node);
      const hint = suggestion && suggestion !== extra
        ? `; did you mean \`${suggestion}\`?`
        : known.length ? `; ${owner ? `a \`${owner}\` step` : `\`${fieldName ?? check.subject}\``} takes ${known.map((k) => `\`${k}\``).join(', ')}` : '';
      const where = whereLabel(segments, label, check.subject);
      const keyNode = locateKey(check.doc, segments, extra);
      return finding(`${where}: unknown field \`${extra}\`${hint}`, nodeRange(keyNode, valueRange), suggestion ? { replacement: suggestion, field: extra } : { field: extra });
    }
    case 'discriminator': {
      if (error.params.error !== 'mapping') return undefined; // a missing or non-string action is reported by `required`/`type`
      const actions = actionNames(check.validate.schema);
      const value = String(error.params.tagValue);
      const actionNode = locate(check.doc, [...segments, 'action']).node;
      const suggestion = nearest(value, actions);
      const hint = suggestion ? `; did you mean \`${suggestion}\`?` : `; the actions are ${actions.map((a) => `\`${a}\``).join(', ')}`;
      return finding(`${whereLabel(segments, label, check.subject)}: unknown action \`${value}\`${hint}`, nodeRange(actionNode, valueRange), suggestion ? { replacement: suggestion } : undefined);
    }
    case 'type': {
      const expected = typeWords(error.params.type as string | string[]);
      if (segments.length === 0) {
        return finding(`${check.subject} is a map of fields (${requiredList(check.validate.schema)}), not ${kindOf(error.data)}`, firstLineOf(valueRange, check.text));
      }
      if (label && isLabelledObject(segments, check)) {
        const fields = segments[0] === 'steps' ? ' of fields (`id`, `action`, …)' : ' of fields';
        return finding(`${label} must be ${expected}${fields}, not ${kindOf(error.data)}`, valueRange);
      }
      const title = parent.title ? ` (${parent.title})` : '';
      const what = fieldName ? `\`${fieldName}\`` : (label ?? 'this item');
      const where = fieldName && label ? `${label}: ` : '';
      return finding(`${where}${what} must be ${expected}${title}, not ${kindOf(error.data)}`, valueRange);
    }
    case 'enum':
    case 'const': {
      const allowed = (error.keyword === 'enum' ? (error.params.allowedValues as unknown[]) : [error.params.allowedValue]).map(String);
      const actual = String(error.data);
      const list = allowed.map((a) => `\`${a}\``).join(', ');
      const hint = didYouMean(actual, allowed);
      const where = fieldName && label ? `${label}: ` : '';
      const what = fieldName ? `\`${fieldName}\`` : 'this value';
      return finding(`${where}${what} must be ${allowed.length === 1 ? list : `one of ${list}`}, not \`${actual}\`${hint}`, valueRange, hint ? { replacement: nearest(actual, allowed) } : undefined);
    }
    case 'pattern': {
      const why = parent.patternErrorMessage ?? `must match ${String(error.params.pattern)}`;
      const where = fieldName && label ? `${label}: ` : '';
      return finding(`${where}\`${fieldName ?? 'value'}\` ${why}, not \`${String(error.data)}\``, valueRange);
    }
    case 'not': {
      // The refused value is not repeated: what a schema refuses this way can be a secret (a webhook URL).
      const why = parent.errorMessage ?? 'is not allowed here';
      const parentSegments = segments.slice(0, -1);
      const where = fieldName && parentSegments.length ? `${whereLabel(parentSegments, check.labelFor(parentSegments), check.subject)}: ` : '';
      return finding(`${where}\`${fieldName ?? 'value'}\` ${why}`, nodeRange(located.key, valueRange));
    }
    case 'minItems':
      return finding(`${prefix}\`${fieldName}\` needs at least ${String(error.params.limit)} item${error.params.limit === 1 ? '' : 's'}`, nodeRange(located.key, valueRange));
    case 'minLength':
      return finding(`${prefix}\`${fieldName}\` must not be empty`, nodeRange(located.key, valueRange));
    case 'minimum':
      return finding(`${prefix}\`${fieldName}\` must be at least ${String(error.params.limit)}`, valueRange);
    case 'uniqueItems': {
      const dupIndex = Number(error.params.i);
      const dupNode = locate(check.doc, [...segments, String(dupIndex)]).node;
      return finding(`${prefix}\`${fieldName}\` lists the same item twice; remove one`, nodeRange(dupNode, valueRange));
    }
    case 'propertyNames': {
      const name = String(error.params.propertyName);
      return finding(`\`${name}\` is not allowed as a key of \`${fieldName ?? check.subject}\``, nodeRange(locateKey(check.doc, segments, name), valueRange));
    }
    case 'oneOf':
    case 'if':
      return undefined; // their branches report the concrete problem
    default:
      return finding(`${prefix}${fieldName ? `\`${fieldName}\` ` : ''}${error.message ?? 'is not valid'}`, valueRange);
  }
}

function finding(message: string, range: OffsetRange, data?: Record<string, unknown>): Finding {
  const f: Finding = { ruleId: 'PB002', severity: 'error', message, range };
  if (data) f.data = data;
  return f;
}

/** True when the path points at the labelled object itself (a whole step), not a field in it. */
function isLabelledObject(segments: string[], check: SchemaCheck): boolean {
  return check.labelFor(segments) !== undefined && check.labelFor(segments.slice(0, -1)) === undefined;
}

function whereLabel(segments: string[], label: string | undefined, subject: string): string {
  if (label) return label;
  if (segments.length === 0) return subject;
  return `\`${segments.filter((s) => !/^\d+$/.test(s)).join('.')}\``;
}

function lastName(segments: string[]): string | undefined {
  for (let i = segments.length - 1; i >= 0; i--) if (!/^\d+$/.test(segments[i]!)) return segments[i];
  return undefined;
}

function actionOf(node: Node | undefined): string | undefined {
  if (!isMap(node)) return undefined;
  const value = node.get('action');
  return typeof value === 'string' ? value : undefined;
}

/** Where to show "needs X": the step's action, else its key (`owners:`), else the first key of the root. */
function requiredAnchor(doc: Document.Parsed, segments: string[], located: { node: Node | undefined; key: Node | undefined }): OffsetRange {
  const action = locate(doc, [...segments, 'action']).node;
  if (action) return nodeRange(action);
  const id = locate(doc, [...segments, 'id']).node;
  if (id) return nodeRange(id);
  if (located.key) return nodeRange(located.key);
  if (isMap(located.node) && located.node.items[0]) return nodeRange(located.node.items[0].key as Node, nodeRange(located.node));
  return nodeRange(located.node);
}

function requiredList(schema: unknown): string {
  const required = ((schema as { required?: string[] }).required ?? []).map((r) => `\`${r}\``);
  if (required.length <= 1) return required.join('');
  return `${required.slice(0, -1).join(', ')} and ${required[required.length - 1]}`;
}

function actionNames(schema: unknown): string[] {
  const defs = (schema as { definitions?: Record<string, { enum?: string[] }> }).definitions;
  return defs?.action?.enum ?? [];
}

function typeWords(type: string | string[]): string {
  const words: Record<string, string> = { object: 'a map', array: 'a list', string: 'a text', number: 'a number', integer: 'a whole number', boolean: '`true` or `false`', null: 'empty' };
  const list = Array.isArray(type) ? type : String(type).split(',');
  return list.map((t) => words[t] ?? t).join(' or ');
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  // A URL is not repeated: the one a person put where a map or a name belongs may be a secret (a webhook).
  if (typeof value === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) return 'a URL';
  if (typeof value === 'string') return `the text \`${value.length > 40 ? `${value.slice(0, 40)}…` : value}\``;
  return `\`${String(value)}\``;
}
