/**
 * CycloneDX VEX (`vulnerabilities[]` with `analysis`) → VEX statements (spec section 9).
 *
 * - States: `not_affected` and `false_positive` → not_affected (a false positive needs a
 *   justification or a `detail` too, as every not_affected does), `exploitable` → affected,
 *   `in_triage` → under_investigation, `resolved` and `resolved_with_pedigree` → fixed.
 * - Aliases: `references[].id`. Impact statement: `analysis.detail`. Action statement: the
 *   `recommendation`, else the `workaround`, else the `analysis.response` values.
 * - Time: `analysis.lastUpdated`, else `analysis.firstIssued`, else `metadata.timestamp`.
 * - Products: each `affects[].ref` is a bom-ref of a component in this document
 *   (`metadata.component` or `components`, nested ones too), a package URL, or a BOM-Link
 *   (`urn:cdx:serial/version#bom-ref`) whose bom-ref is one of those. A component with a purl gives
 *   the purl; one with none but a name and a version (CISA's example: application `ABC` 4.2) gives
 *   a product known only by name and version: which release such a product can speak of is
 *   matching's decision (`vexDecisions.ts`), not this parser's. An `affects` entry that lists
 *   `versions` is dropped with a problem: the per-version statuses are not read, and the statement
 *   without them would speak of every version.
 */
import { cycloneDxComponents } from './cycloneDx.js';
import { arrayField, asObject, objectField, stringField, type JsonObject, type TextPosition } from './jsonTree.js';
import { quoted } from './readDocument.js';
import { checkedStatement, distinctStrings, purlProduct, statementLabel, type VexProduct, type VexStatement, type VexStatus } from './vexStatements.js';

const STATES: ReadonlyMap<string, VexStatus> = new Map([
  ['not_affected', 'not_affected'],
  ['false_positive', 'not_affected'],
  ['exploitable', 'affected'],
  ['in_triage', 'under_investigation'],
  ['resolved', 'fixed'],
  ['resolved_with_pedigree', 'fixed'],
]);

/** Whether the object at `path` is a vulnerability (`vulnerabilities[i]`). */
export function isVulnerabilityPath(path: readonly (string | number)[]): boolean {
  return path.length === 2 && path[0] === 'vulnerabilities' && typeof path[1] === 'number';
}

export function readCycloneDxVex(bom: JsonObject, positions: ReadonlyMap<JsonObject, TextPosition>): { statements: VexStatement[]; problems: string[] } {
  const statements: VexStatement[] = [];
  const problems: string[] = [];
  const metadata = objectField(bom, 'metadata');
  const byRef = componentsByRef(bom, positions);
  const serial = stringField(bom, 'serialNumber')?.replace(/^urn:uuid:/, '');
  const authors = distinctStrings(arrayField(metadata, 'authors').map((author) => stringField(asObject(author), 'name')));
  const documentTime = stringField(metadata, 'timestamp');
  arrayField(bom, 'vulnerabilities').forEach((item, index) => {
    const object = asObject(item);
    if (object === undefined) {
      problems.push(`vulnerability ${index + 1} is not an object; it was ignored`);
      return;
    }
    const position = positions.get(object) ?? { line: 0, character: 0 };
    const vulnerability = stringField(object, 'id');
    const label = statementLabel('vulnerability', index, vulnerability, position);
    const analysis = objectField(object, 'analysis');
    const state = analysis?.['state'];
    const status = typeof state === 'string' ? STATES.get(state) : undefined;
    if (status === undefined) {
      problems.push(state === undefined ? `${label} has no analysis.state; it was ignored` : `${label} has analysis.state ${quoted(state)}, which is not one of ${[...STATES.keys()].join(', ')}; it was ignored`);
      return;
    }
    const products: VexProduct[] = [];
    for (const affect of arrayField(object, 'affects')) {
      const read = affectedProduct(asObject(affect), byRef, serial);
      if ('problem' in read) problems.push(`${label}: ${read.problem}; the product was ignored`);
      else products.push(read);
    }
    const response = distinctStrings(arrayField(analysis, 'response'));
    const checked = checkedStatement(label, {
      vulnerability,
      aliases: distinctStrings(arrayField(object, 'references').map((reference) => stringField(asObject(reference), 'id')), vulnerability),
      products,
      status,
      justification: stringField(analysis, 'justification'),
      impactStatement: stringField(analysis, 'detail'),
      actionStatement: stringField(object, 'recommendation') ?? stringField(object, 'workaround') ?? (response.length > 0 ? response.join(', ') : undefined),
      timestamp: stringField(analysis, 'lastUpdated') ?? stringField(analysis, 'firstIssued') ?? documentTime,
      author: authors.length > 0 ? authors.join(', ') : undefined,
      position,
    });
    if ('problem' in checked) problems.push(checked.problem);
    else statements.push(checked);
  });
  return { statements, problems };
}

/** bom-ref → component, the root's and every component's, nested ones included; the first of a repeated bom-ref wins. */
function componentsByRef(bom: JsonObject, positions: ReadonlyMap<JsonObject, TextPosition>): Map<string, JsonObject> {
  const byRef = new Map<string, JsonObject>();
  const root = objectField(objectField(bom, 'metadata'), 'component');
  for (const component of [...(root === undefined ? [] : [root]), ...cycloneDxComponents(bom, positions).components]) {
    const ref = stringField(component, 'bom-ref');
    if (ref !== undefined && !byRef.has(ref)) byRef.set(ref, component);
  }
  return byRef;
}

function affectedProduct(affect: JsonObject | undefined, byRef: ReadonlyMap<string, JsonObject>, serial: string | undefined): VexProduct | { problem: string } {
  const ref = stringField(affect, 'ref');
  if (ref === undefined) return { problem: 'an `affects` entry has no `ref`' };
  if (arrayField(affect, 'versions').length > 0) return { problem: `the \`affects\` entry for ${quoted(ref)} lists versions, which are not read` };
  // A BOM-Link names a bom-ref in a BOM, this one or another: `urn:cdx:serial/version#bom-ref`.
  const link = /^urn:cdx:([^/#]*)(?:\/[^#]*)?#(.+)$/.exec(ref);
  const bomRef = link === null ? ref : safeDecode(link[2]!);
  const component = link === null || link[1] === serial ? byRef.get(bomRef) : undefined;
  if (component === undefined) {
    if (bomRef.startsWith('pkg:')) return purlProduct(bomRef);
    return { problem: link === null || link[1] === serial ? `${quoted(ref)} is neither a bom-ref of a component in this document nor a package URL` : `${quoted(ref)} names a component of another BOM, which is not read` };
  }
  const purl = stringField(component, 'purl');
  if (purl !== undefined && purl !== '') {
    const product = purlProduct(purl);
    return 'problem' in product ? { problem: `the component ${quoted(ref)}: ${product.problem}` } : product;
  }
  const name = stringField(component, 'name');
  const version = stringField(component, 'version');
  if (name === undefined || version === undefined) return { problem: `the component ${quoted(ref)} has no purl, and no name and version to be known by` };
  return { name, version, subcomponents: [] };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
