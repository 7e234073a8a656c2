/**
 * The playbook schema read as documentation: which fields a place takes, with their titles,
 * descriptions and allowed values. Completion and hover read the schema through this file only,
 * so the schema stays the single source of what a field means.
 */
import playbookSchema from '../../../../schemas/playbook.schema.json';

interface SchemaNode {
  $ref?: string;
  title?: string;
  description?: string;
  markdownDescription?: string;
  type?: string | string[];
  enum?: Array<string | number>;
  enumDescriptions?: string[];
  examples?: unknown[];
  const?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
  items?: SchemaNode;
}

type FieldShape = 'scalar' | 'list' | 'map' | 'steps';

export interface EnumValue {
  value: string;
  description?: string;
}

export interface FieldInfo {
  name: string;
  title?: string;
  /** The markdown documentation (markdownDescription, else description). */
  documentation?: string;
  required: boolean;
  /** How a value is written after the key: inline, as a `[...]` list, or as an indented block. */
  shape: FieldShape;
  values: EnumValue[];
}

const ROOT = playbookSchema as unknown as SchemaNode & { definitions: Record<string, SchemaNode> };

function resolve(node: SchemaNode): SchemaNode {
  const name = node.$ref?.replace('#/definitions/', '');
  return name === undefined ? node : (ROOT.definitions[name] ?? node);
}

function shapeOf(name: string, node: SchemaNode): FieldShape {
  const types = [node.type ?? []].flat();
  if (name === 'steps') return 'steps';
  if (types.length === 1 && types[0] === 'array') return 'list';
  if (types.length === 1 && types[0] === 'object') return 'map';
  return 'scalar';
}

function enumValues(node: SchemaNode): EnumValue[] {
  return (node.enum ?? []).map((value, i) => ({ value: String(value), description: node.enumDescriptions?.[i] }));
}

function fieldInfo(name: string, raw: SchemaNode, required: readonly string[]): FieldInfo {
  const node = resolve(raw);
  return {
    name,
    title: node.title,
    documentation: node.markdownDescription ?? node.description,
    required: required.includes(name),
    shape: shapeOf(name, node),
    values: enumValues(node),
  };
}

function fieldsOf(node: SchemaNode): FieldInfo[] {
  return Object.entries(node.properties ?? {}).map(([name, raw]) => fieldInfo(name, raw, node.required ?? []));
}

const cache = new Map<string, FieldInfo[]>();
function cached(key: string, build: () => FieldInfo[]): FieldInfo[] {
  let fields = cache.get(key);
  if (!fields) cache.set(key, (fields = build()));
  return fields;
}

/** The playbook's top-level fields, in schema order. */
export function playbookFields(): FieldInfo[] {
  return cached('playbook', () => fieldsOf(ROOT));
}

/** The named owner roles (`sre`, `security`); other roles are allowed too. */
export function ownerFields(): FieldInfo[] {
  return cached('owners', () => fieldsOf(ROOT.properties!.owners!));
}

export function triggerFields(): FieldInfo[] {
  return cached('trigger', () => fieldsOf(ROOT.properties!.trigger!));
}

/** The fields of one service (`package`, `current`, `sbom`, `releases`). */
export function serviceFields(): FieldInfo[] {
  return cached('service', () => fieldsOf(ROOT.properties!.services!.additionalProperties as SchemaNode));
}

/** The fields of a release written as a mapping (`version`, `digest`, `sbom`). */
export function releaseFields(): FieldInfo[] {
  return cached('release', () => fieldsOf((ROOT.properties!.services!.additionalProperties as SchemaNode).properties!.releases!.items!));
}

/** `services.<name>.releases[]`: a release written as a mapping. */
export function isReleaseItem(container: readonly string[]): boolean {
  return container.length === 4 && container[0] === 'services' && container[2] === 'releases' && container[3] === '[]';
}

const ACTION_NAMES: readonly string[] = (ROOT.definitions.action!.enum ?? []).map(String);

/** Every action with its description. */
export function actionValues(): EnumValue[] {
  return enumValues(ROOT.definitions.action!);
}

export function checkpointKindValues(): EnumValue[] {
  return enumValues(ROOT.definitions.checkpointKind!);
}

/** The fields of a step with this action; without a known action, the fields every step takes. */
export function stepFields(action: string | undefined): FieldInfo[] {
  if (action !== undefined && ACTION_NAMES.includes(action)) {
    return cached(`step-${action}`, () => fieldsOf(ROOT.definitions[`step-${action}`]!).map((f) => (f.name === 'action' ? actionField() : f)));
  }
  return cached('step', commonStepFields);
}

/** `action` itself, documented as the choice it is (each action's own schema only holds a `const`). */
function actionField(): FieldInfo {
  return { ...fieldInfo('action', ROOT.definitions.action!, ['action']), required: true };
}

function commonStepFields(): FieldInfo[] {
  const perAction = ACTION_NAMES.map((a) => fieldsOf(ROOT.definitions[`step-${a}`]!));
  const first = perAction[0] ?? [];
  return first.filter((f) => perAction.every((fields) => fields.some((g) => g.name === f.name))).map((f) => (f.name === 'action' ? actionField() : f));
}

/** Documentation of one field of a step, looked up in the step's action first, then in every action. */
function stepField(action: string | undefined, name: string): FieldInfo | undefined {
  const own = stepFields(action).find((f) => f.name === name);
  if (own || (action !== undefined && ACTION_NAMES.includes(action))) return own;
  for (const other of ACTION_NAMES) {
    const found = stepFields(other).find((f) => f.name === name);
    if (found) return found;
  }
  return undefined;
}

/** Documentation of the place a key names: `[]` is the playbook, `['owners']` an owner role, and so on. */
export function fieldAt(container: readonly string[], name: string, action?: string): FieldInfo | undefined {
  const [first, second] = container;
  if (first === undefined) return playbookFields().find((f) => f.name === name);
  if (container.length === 1 && first === 'owners') return ownerFields().find((f) => f.name === name) ?? otherEntry(ROOT.properties!.owners!, name);
  if (container.length === 1 && first === 'trigger') return triggerFields().find((f) => f.name === name);
  if (container.length === 1 && first === 'services') return otherEntry(ROOT.properties!.services!, name);
  if (container.length === 1 && first === 'channels') return otherEntry(ROOT.properties!.channels!, name);
  if (container.length === 2 && first === 'services' && second !== undefined) return serviceFields().find((f) => f.name === name);
  if (isReleaseItem(container)) return releaseFields().find((f) => f.name === name);
  if (container.length === 2 && first === 'steps' && second === '[]') return stepField(action, name);
  return undefined;
}

/** A map entry the schema allows under any name (a service, a channel, another owner role). */
function otherEntry(map: SchemaNode, name: string): FieldInfo | undefined {
  const node = map.additionalProperties;
  return typeof node === 'object' ? fieldInfo(name, node, []) : undefined;
}
