/**
 * OpenVEX JSON (0.2.0, and the older drafts where a vulnerability or a product is a bare string) →
 * VEX statements (spec section 9). A product is a package URL (`identifiers.purl`, else an `@id`
 * that is one) and/or an image digest (a `pkg:oci` purl's version, or `hashes` `sha-256`/`sha-512`);
 * an `@id` that is another IRI with neither is not something a release can be matched to.
 * A statement's time is its `last_updated`, else its `timestamp`, else the document's (the same
 * order): "the latest statement wins" should compare when each decision was last changed.
 */
import { arrayField, asObject, objectField, stringField, type JsonObject, type JsonValue, type TextPosition } from './jsonTree.js';
import { quoted } from './readDocument.js';
import { checkedStatement, distinctStrings, purlProduct, statementLabel, type VexProduct, type VexStatement } from './vexStatements.js';

export function isOpenVex(document: JsonObject): boolean {
  const context = document['@context'];
  return typeof context === 'string' && context.startsWith('https://openvex.dev/ns');
}

/** Whether the object at `path` is a statement (`statements[i]`). */
export function isStatementPath(path: readonly (string | number)[]): boolean {
  return path.length === 2 && path[0] === 'statements' && typeof path[1] === 'number';
}

export function readOpenVex(document: JsonObject, positions: ReadonlyMap<JsonObject, TextPosition>): { statements: VexStatement[]; problems: string[] } {
  const statements: VexStatement[] = [];
  const problems: string[] = [];
  const author = stringField(document, 'author');
  const documentTime = stringField(document, 'last_updated') ?? stringField(document, 'timestamp');
  arrayField(document, 'statements').forEach((item, index) => {
    const object = asObject(item);
    if (object === undefined) {
      problems.push(`statement ${index + 1} is not an object; it was ignored`);
      return;
    }
    const position = positions.get(object) ?? { line: 0, character: 0 };
    const vulnerabilityValue = object['vulnerability'];
    const vulnerabilityObject = asObject(vulnerabilityValue);
    const vulnerability = typeof vulnerabilityValue === 'string' ? vulnerabilityValue : (stringField(vulnerabilityObject, 'name') ?? stringField(vulnerabilityObject, '@id'));
    const label = statementLabel('statement', index, vulnerability, position);
    const products: VexProduct[] = [];
    for (const product of arrayField(object, 'products')) {
      const read = openVexProduct(product);
      if ('problem' in read) problems.push(`${label}: ${read.problem}; the product was ignored`);
      else products.push(read);
    }
    const checked = checkedStatement(label, {
      vulnerability,
      aliases: distinctStrings(arrayField(vulnerabilityObject, 'aliases'), vulnerability),
      products,
      status: object['status'],
      justification: stringField(object, 'justification'),
      impactStatement: stringField(object, 'impact_statement'),
      actionStatement: stringField(object, 'action_statement'),
      timestamp: stringField(object, 'last_updated') ?? stringField(object, 'timestamp') ?? documentTime,
      author,
      position,
    });
    if ('problem' in checked) problems.push(checked.problem);
    else statements.push(checked);
  });
  return { statements, problems };
}

function openVexProduct(value: JsonValue): VexProduct | { problem: string } {
  const object = asObject(value);
  const id = typeof value === 'string' ? value : stringField(object, '@id');
  const purl = packageUrl(value);
  const digest = hashDigest(objectField(object, 'hashes'));
  if (purl === undefined && digest === undefined) return { problem: `product ${quoted(id ?? value)} has no package URL or digest that a release can be matched to` };
  let product: VexProduct = { subcomponents: [] };
  if (purl !== undefined) {
    const read = purlProduct(purl);
    if ('problem' in read) return { problem: `product ${read.problem}` };
    product = read;
  }
  if (digest !== undefined) product.digest = digest;
  for (const sub of arrayField(object, 'subcomponents')) {
    const subPurl = packageUrl(sub);
    const read = subPurl === undefined ? undefined : purlProduct(subPurl);
    if (read === undefined || 'problem' in read) {
      const subId = typeof sub === 'string' ? sub : (stringField(asObject(sub), '@id') ?? sub);
      return { problem: `product ${quoted(id ?? purl ?? digest)} has a subcomponent ${quoted(subId)} that is not a package URL (without it the statement would speak of the whole product)` };
    }
    product.subcomponents.push(read.purl!);
  }
  return product;
}

/** A product's or subcomponent's package URL: `identifiers.purl`, else its `@id` (or the bare string) when that is one. */
function packageUrl(value: JsonValue): string | undefined {
  const object = asObject(value);
  const id = typeof value === 'string' ? value : stringField(object, '@id');
  return stringField(objectField(object, 'identifiers'), 'purl') ?? (id?.startsWith('pkg:') ? id : undefined);
}

function hashDigest(hashes: JsonObject | undefined): string | undefined {
  for (const [key, algorithm] of [['sha-256', 'sha256'], ['sha-512', 'sha512']] as const) {
    const hex = stringField(hashes, key)?.toLowerCase();
    if (hex !== undefined && /^[0-9a-f]+$/.test(hex)) return `${algorithm}:${hex}`;
  }
  return undefined;
}
