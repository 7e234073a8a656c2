/**
 * An SBOM's text → its root component and every other component with name, version, package URL
 * and where it starts in the file (spec section 8): CycloneDX JSON 1.2 to 1.6 (later 1.x read
 * leniently, with a note) and SPDX 2.2 and 2.3 JSON. Anything else is `{ problem }`. Never throws.
 *
 * - CycloneDX: `metadata.component` is the root; its own nested parts (`metadata.component.components`)
 *   and every `components` entry, nested ones flattened, are the components, in document order.
 *   SPDX: the first package the document describes is the root (a note when it describes several).
 * - Positions come from the JSON structure (`jsonTree.ts`, on jsonc-parser's scanner), not from
 *   `JSON.parse` and a text search: PB101 points at each affected component in the SBOM.
 * - Bounded: nesting deeper than `maxDepth` is refused as it is met; past `maxComponents`
 *   components the rest are read (the JSON must still be valid) but not built, and a problem says so.
 *   Objects this parser does not look into (hashes, licenses, dependencies) are not built either.
 *   A 1.3 MB CycloneDX of 2,000 components: ~13 ms warm, ~6 ms of it `parsePurl`.
 * - A component without a purl is kept (it has a name and a place) and counted in `withoutPurl`,
 *   with an info note: it is not checked against advisories.
 * - A purl that is not a package URL (`parsePurl` refuses it) is a problem (a warning: the SBOM
 *   says something the checks cannot use). Its component is kept with `purl` undefined, so nothing
 *   matches it, but is NOT counted in `withoutPurl`: the note says "no package URL", which would be
 *   untrue of it; the problem gives the count and the first few.
 */
import { parsePurl } from '../advisories/purl.js';
import { cycloneDxComponents, cycloneDxVersion, isComponentPath } from './cycloneDx.js';
import { arrayField, asObject, objectField, stringField, type JsonObject, type JsonValue, type TextPosition } from './jsonTree.js';
import { keepWithin, quoted, readJsonObject, type Budget } from './readDocument.js';
import { isPackagePath, spdxPackages, spdxPurl, spdxVersionProblem } from './spdx.js';

export type { TextPosition } from './jsonTree.js';

export interface SbomComponent {
  name: string;
  version?: string;
  purl?: string;
  /** Where the component's object starts. */
  position: TextPosition;
}

export interface ParsedSbom {
  format: 'CycloneDX' | 'SPDX';
  specVersion: string;
  root?: SbomComponent;
  /**
   * The image digests (`sha256:…`, lower case) the SBOM says it describes: its root's version or
   * purl version when that is a digest (syft and trivy write an image's so), and the subjects of
   * an in-toto statement. A release with a `digest` is matched by it.
   */
  digests: string[];
  /** Every component but the root, in document order. */
  components: SbomComponent[];
  /** Components (not the root) with no purl. */
  withoutPurl: number;
  /** Info-level: components without purl, a newer minor spec version read leniently, the root chosen. */
  notes: string[];
  /** Warning-level: over the component limit, purls that are not package URLs, entries that are not objects. */
  problems: string[];
}

/**
 * What the head of an SBOM says: its format and root component, enough to know which release it
 * describes before its components are read (the editor reads those of the releases a playbook
 * rolls back or deploys to first, and the others after its first diagnostics).
 */
export type SbomHead = Pick<ParsedSbom, 'format' | 'specVersion' | 'root' | 'digests'>;

export interface SbomLimits {
  maxComponents: number;
  maxDepth: number;
}

export const DEFAULT_SBOM_LIMITS: SbomLimits = { maxComponents: 200_000, maxDepth: 64 };

/** How many refused purls a problem lists. */
const LISTED = 3;

/** A component as the format gives it, before its purl is checked. */
interface Entry {
  object: JsonObject;
  name: string | undefined;
  version: string | undefined;
  purl: JsonValue | undefined;
}

interface FormatRead {
  format: ParsedSbom['format'];
  specVersion: string;
  root: Entry | undefined;
  components: Entry[];
  notObjects: number;
  notes: string[];
}

export function parseSbom(text: string, limits: SbomLimits = DEFAULT_SBOM_LIMITS): ParsedSbom | { problem: string } {
  const budgets: Budget[] = [
    { matches: (path) => isComponentPath(inPredicate(path)), limit: limits.maxComponents, seen: 0 },
    { matches: (path) => isPackagePath(inPredicate(path)), limit: limits.maxComponents, seen: 0 },
  ];
  const reads = (path: readonly (string | number)[]): boolean => (path.length === 1 && path[0] === 'predicate') || isSubjectPath(path) || readsObject(inPredicate(path));
  const document = readJsonObject(text, { maxDepth: limits.maxDepth, keep: keepWithin(budgets, reads) }, 'an SBOM in CycloneDX JSON or SPDX JSON');
  if ('problem' in document) return document;
  const sbom = unwrapStatement(document.root);
  if ('problem' in sbom) return sbom;
  const { positions } = document;
  const read = readFormat(sbom.document, positions);
  if ('problem' in read) return read;

  const problems: string[] = [];
  const over = read.format === 'CycloneDX' ? budgets[0]! : budgets[1]!;
  if (over.seen > over.limit) problems.push(`holds more than ${over.limit} components (the limit maxSbomComponents); the rest were not read`);
  if (read.notObjects > 0) problems.push(`${plural(read.notObjects, 'entry', 'entries')} of the component list ${read.notObjects === 1 ? 'is' : 'are'} not an object and ${read.notObjects === 1 ? 'was' : 'were'} skipped`);

  const refused: string[] = [];
  const toComponent = componentReader(positions, refused);
  const rootComponent = read.root === undefined ? undefined : toComponent(read.root);
  if (refused.length > 0) problems.push(`the root component's purl ${refused.pop()!} is not a package URL, so the SBOM cannot be matched to a service by its package`);
  const components = read.components.map(toComponent);
  if (refused.length > 0) {
    const more = refused.length > LISTED ? `, and ${refused.length - LISTED} more` : '';
    problems.push(`${plural(refused.length, 'component has a purl', 'components have a purl')} that is not a package URL and ${refused.length === 1 ? 'is' : 'are'} not checked: ${refused.slice(0, LISTED).join(', ')}${more}`);
  }
  const withoutPurl = read.components.filter(hasNoPurl).length;
  const notes = [...(sbom.wrapped ? [`read from an in-toto statement, whose predicate (${sbom.wrapped}) is the SBOM`] : []), ...read.notes];
  if (withoutPurl > 0) notes.push(`${withoutPurl} of ${components.length} components have no package URL and are not checked`);
  const unmatched = unmatchedTypes(components);
  if (unmatched !== undefined) notes.push(unmatched);

  const parsed: ParsedSbom = { format: read.format, specVersion: read.specVersion, digests: digestsOf(rootComponent, sbom.subjects), components, withoutPurl, notes, problems };
  if (rootComponent !== undefined) parsed.root = rootComponent;
  return parsed;
}

/** in-toto Statement types (v0.1, v1), and the predicate types that are SBOMs (SPDX, CycloneDX; with or without a version). */
const IN_TOTO_STATEMENT = /^https:\/\/in-toto\.io\/Statement\/v(0\.1|1)$/;
const SBOM_PREDICATE = /^https:\/\/(spdx\.dev\/Document|cyclonedx\.org\/bom)(\/v?\d+(\.\d+)*)?$/;

/** An in-toto statement's subjects and their digests. */
const isSubjectPath = (path: readonly (string | number)[]): boolean => path[0] === 'subject' && typeof path[1] === 'number' && (path.length === 2 || (path.length === 3 && path[2] === 'digest'));

/** Inside an in-toto statement the SBOM is the `predicate`: the paths below it are read as the SBOM's own. */
const inPredicate = (path: readonly (string | number)[]): readonly (string | number)[] => (path[0] === 'predicate' ? path.slice(1) : path);

/**
 * The SBOM a file holds: the document itself, or the predicate of an in-toto statement about an
 * image (what BuildKit's `--sbom=true` writes, and `cosign attest` signs), whose objects keep their
 * places in the file. A signed envelope (DSSE) holds the statement base64-encoded, with no place
 * in the file to point at: it is named, with how to take the statement out.
 */
function unwrapStatement(root: JsonObject): { document: JsonObject; wrapped?: string; subjects: string[] } | { problem: string } {
  if (typeof root['payloadType'] === 'string' && typeof root['payload'] === 'string') {
    return { problem: 'the file is a signed envelope (DSSE) with the statement base64-encoded in `payload`; read the statement out first (`jq -r .payload FILE | base64 -d`) and keep that file' };
  }
  const type = root['_type'];
  if (typeof type !== 'string' || !IN_TOTO_STATEMENT.test(type)) return { document: root, subjects: [] };
  const predicateType = root['predicateType'];
  if (typeof predicateType !== 'string' || !SBOM_PREDICATE.test(predicateType)) {
    return { problem: `the file is an in-toto statement whose predicate is ${quoted(predicateType ?? 'not given')}, not an SBOM; statements with an SPDX or CycloneDX predicate are read` };
  }
  const predicate = objectField(root, 'predicate');
  // What the statement is about: each subject's digests, as `sha256:…`.
  const subjects = arrayField(root, 'subject').flatMap((subject) => {
    const digest = objectField(asObject(subject), 'digest');
    return digest === undefined ? [] : Object.entries(digest).flatMap(([alg, hex]) => (typeof hex === 'string' ? [`${alg}:${hex}`] : []));
  });
  return predicate ? { document: predicate, wrapped: predicateType, subjects } : { problem: `the file is an in-toto statement about an SBOM (${predicateType}) without a \`predicate\` object` };
}

/**
 * The head of a CycloneDX SBOM from the start of its text (a prefix of the file will do), when
 * the top-level `bomFormat`, `specVersion` and `metadata` come before anything else large, as the
 * generators write them. Undefined when the text does not say it before its end, or says it in a
 * way only the whole document can judge (SPDX, whose root is named by relationships that come
 * last; a problem of any kind): then the whole file must be read. The whole SBOM, once read, is
 * the truth (a `metadata` written twice counts as its last one there).
 */
export function parseSbomHead(text: string): SbomHead | undefined {
  const enough = (top: JsonObject): boolean => ['bomFormat', 'specVersion', 'metadata'].every((key) => Object.hasOwn(top, key));
  const document = readJsonObject(text, { maxDepth: DEFAULT_SBOM_LIMITS.maxDepth, keep: (path) => path[0] === 'metadata', enough }, 'an SBOM');
  if ('problem' in document || !document.partial || document.root['bomFormat'] !== 'CycloneDX') return undefined;
  const read = readCycloneDx(document.root, document.positions);
  if ('problem' in read) return undefined;
  const refused: string[] = [];
  const root = read.root === undefined ? undefined : componentReader(document.positions, refused)(read.root);
  // A root whose purl is refused is a problem of the SBOM, said when the whole of it is read.
  if (refused.length > 0) return undefined;
  return { format: read.format, specVersion: read.specVersion, digests: digestsOf(root, []), ...(root ? { root } : {}) };
}

/**
 * Components whose package URL type no OSV ecosystem is matched to here (an image's `pkg:deb`,
 * `pkg:apk`, `pkg:rpm` packages): only an advisory that names their purl can match them, and OSV's
 * exports name none. Said, so a clear release is not read as "every component checked".
 */
function unmatchedTypes(components: readonly SbomComponent[]): string | undefined {
  const counts = new Map<string, number>();
  for (const { purl } of components) {
    const parsed = purl === undefined ? undefined : parsePurl(purl);
    if (parsed === undefined || !('package' in parsed) || parsed.package.ecosystem !== undefined || parsed.package.type === 'generic') continue;
    counts.set(parsed.package.type, (counts.get(parsed.package.type) ?? 0) + 1);
  }
  if (counts.size === 0) return undefined;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const listed = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([type, count]) => `${count} pkg:${type}`).join(', ');
  return `${total} of ${components.length} components ${total === 1 ? 'is' : 'are'} of package types no advisory ecosystem is matched to here (${listed}): only advisories that name their package URL can match them`;
}

/** An image digest as OCI writes it (`sha256:` and hex), lower case; undefined for anything else, such as a release version. */
export function imageDigest(text: string | undefined): string | undefined {
  return text !== undefined && /^(sha256|sha384|sha512):[0-9a-f]{32,128}$/i.test(text.trim()) ? text.trim().toLowerCase() : undefined;
}

function digestsOf(root: SbomComponent | undefined, subjects: readonly string[]): string[] {
  const purlVersion = root?.purl === undefined ? undefined : (() => {
    const parsed = parsePurl(root.purl);
    return 'package' in parsed ? parsed.package.version : undefined;
  })();
  return [...new Set([imageDigest(root?.version), imageDigest(purlVersion), ...subjects.map(imageDigest)].filter((d): d is string => d !== undefined))];
}

/** Entries → components, their purls checked: those refused are listed in `refused` (with their lines) and left out. */
function componentReader(positions: ReadonlyMap<JsonObject, TextPosition>, refused: string[]): (entry: Entry) => SbomComponent {
  return (entry) => {
    const position = positions.get(entry.object) ?? { line: 0, character: 0 };
    const component: SbomComponent = { name: entry.name ?? '', position };
    if (entry.version !== undefined) component.version = entry.version;
    if (hasNoPurl(entry)) return component;
    if (typeof entry.purl === 'string' && 'package' in parsePurl(entry.purl)) component.purl = entry.purl.trim();
    else refused.push(`${quoted(entry.purl)} (line ${position.line + 1})`);
    return component;
  };
}

/**
 * The objects read here besides components and packages; the others (hashes, licenses,
 * dependencies, …) are read for validity but never built, which halves the time of a real SBOM.
 * A field read from a new kind of object must be added here.
 */
function readsObject(path: readonly (string | number)[]): boolean {
  if (path.length === 1) return path[0] === 'metadata';
  if (path.length === 2) return (path[0] === 'metadata' && path[1] === 'component') || (path[0] === 'relationships' && typeof path[1] === 'number');
  return path.length === 4 && path[0] === 'packages' && path[2] === 'externalRefs' && typeof path[3] === 'number';
}

function readFormat(document: JsonObject, positions: ReadonlyMap<JsonObject, TextPosition>): FormatRead | { problem: string } {
  const bomFormat = document['bomFormat'];
  if (bomFormat === 'CycloneDX') return readCycloneDx(document, positions);
  const spdxVersion = stringField(document, 'spdxVersion');
  if (spdxVersion !== undefined) return readSpdx(document, spdxVersion);
  if (bomFormat !== undefined) return { problem: `the document's bomFormat is ${quoted(bomFormat)}, not \`CycloneDX\`; an SBOM in CycloneDX JSON or SPDX JSON was expected` };
  if (/spdx\.org\/rdf\/3/.test(JSON.stringify(document['@context'] ?? ''))) return { problem: 'the document is SPDX 3, which is not supported; SPDX JSON 2.2 and 2.3 are read' };
  return { problem: 'the document is neither CycloneDX (no `bomFormat: "CycloneDX"`) nor SPDX (no `spdxVersion`); an SBOM in CycloneDX JSON or SPDX JSON was expected' };
}

function readCycloneDx(bom: JsonObject, positions: ReadonlyMap<JsonObject, TextPosition>): FormatRead | { problem: string } {
  const version = cycloneDxVersion(bom['specVersion'], 2);
  if ('problem' in version) return version;
  const root = objectField(objectField(bom, 'metadata'), 'component');
  const { components, notObjects } = cycloneDxComponents(bom, positions);
  const entry = (object: JsonObject): Entry => ({ object, name: stringField(object, 'name'), version: stringField(object, 'version'), purl: object['purl'] });
  return {
    format: 'CycloneDX',
    specVersion: bom['specVersion'] as string,
    root: root === undefined ? undefined : entry(root),
    components: components.map(entry),
    notObjects,
    notes: version.note === undefined ? [] : [version.note],
  };
}

function readSpdx(document: JsonObject, spdxVersion: string): FormatRead | { problem: string } {
  const problem = spdxVersionProblem(spdxVersion);
  if (problem !== undefined) return { problem };
  const { root, others, notObjects, notes } = spdxPackages(document);
  const entry = (object: JsonObject): Entry => ({ object, name: stringField(object, 'name'), version: stringField(object, 'versionInfo'), purl: spdxPurl(object) });
  return { format: 'SPDX', specVersion: spdxVersion, root: root === undefined ? undefined : entry(root), components: others.map(entry), notObjects, notes };
}

function hasNoPurl(entry: Entry): boolean {
  return entry.purl === undefined || entry.purl === null || entry.purl === '';
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
