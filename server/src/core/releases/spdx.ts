/**
 * SPDX 2.2 and 2.3 JSON (spec section 8): the packages, each one's package URL (an `externalRefs`
 * entry of type `purl` in the package-manager category, spelt `PACKAGE-MANAGER` in 2.3 and
 * `PACKAGE_MANAGER` in 2.2), and the root: the package the document describes, named in
 * `documentDescribes` or by a `DESCRIBES` relationship from the document (or `DESCRIBED_BY` to it).
 */
import { arrayField, asObject, stringField, type JsonObject, type JsonValue } from './jsonTree.js';
import { quoted } from './readDocument.js';

const VERSIONS = ['SPDX-2.2', 'SPDX-2.3'];

/** A problem when the document's `spdxVersion` is not one read. */
export function spdxVersionProblem(spdxVersion: string): string | undefined {
  return VERSIONS.includes(spdxVersion) ? undefined : `${quoted(spdxVersion)} is not supported; SPDX JSON 2.2 and 2.3 are read`;
}

/** Whether the object at `path` is a package (`packages[i]`). */
export function isPackagePath(path: readonly (string | number)[]): boolean {
  return path.length === 2 && path[0] === 'packages' && typeof path[1] === 'number';
}

export interface SpdxPackages {
  root?: JsonObject;
  /** Every package but the root, in document order. */
  others: JsonObject[];
  notObjects: number;
  notes: string[];
}

export function spdxPackages(document: JsonObject): SpdxPackages {
  const packages: JsonObject[] = [];
  let notObjects = 0;
  for (const item of arrayField(document, 'packages')) {
    const pkg = asObject(item);
    if (pkg === undefined) notObjects++;
    else packages.push(pkg);
  }
  const byId = new Map<string, JsonObject>();
  for (const pkg of packages) {
    const id = stringField(pkg, 'SPDXID');
    if (id !== undefined && !byId.has(id)) byId.set(id, pkg);
  }
  const described = [...new Set(describedIds(document))].flatMap((id): JsonObject[] => {
    const pkg = byId.get(id);
    return pkg === undefined ? [] : [pkg];
  });
  const notes: string[] = [];
  const root = described[0];
  if (root === undefined) {
    notes.push('the document does not say which package it describes (no `documentDescribes` or `DESCRIBES` relationship naming a package), so it has no root component');
  } else if (described.length > 1) {
    notes.push(`the document describes ${described.length} packages; the first, ${quoted(stringField(root, 'name') ?? stringField(root, 'SPDXID'))}, is taken as its root and the others as components`);
  }
  return { root, others: packages.filter((pkg) => pkg !== root), notObjects, notes };
}

/** The SPDX ids the document describes, in the order it names them. */
function describedIds(document: JsonObject): string[] {
  const self = stringField(document, 'SPDXID') ?? 'SPDXRef-DOCUMENT';
  const ids = arrayField(document, 'documentDescribes').filter((id): id is string => typeof id === 'string');
  for (const item of arrayField(document, 'relationships')) {
    const relationship = asObject(item);
    const type = stringField(relationship, 'relationshipType');
    const from = stringField(relationship, 'spdxElementId');
    const to = stringField(relationship, 'relatedSpdxElement');
    if (type === 'DESCRIBES' && from === self && to !== undefined) ids.push(to);
    else if (type === 'DESCRIBED_BY' && to === self && from !== undefined) ids.push(from);
  }
  return ids;
}

/** The package's package URL as written (the first `purl` reference), or undefined. */
export function spdxPurl(pkg: JsonObject): JsonValue | undefined {
  for (const item of arrayField(pkg, 'externalRefs')) {
    const ref = asObject(item);
    const category = stringField(ref, 'referenceCategory');
    if (stringField(ref, 'referenceType') === 'purl' && (category === 'PACKAGE-MANAGER' || category === 'PACKAGE_MANAGER')) return ref?.['referenceLocator'];
  }
  return undefined;
}
