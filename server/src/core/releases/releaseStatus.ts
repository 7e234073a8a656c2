/**
 * What stands against one release of a service (spec sections 8 and 9): the advisories on the
 * service's own package, those on every component its SBOM lists, and what security's VEX
 * statements removed. PB101, its quick fix, version completion and hover, the dry-run and
 * `playbook releases` all ask this one function, so they cannot disagree.
 *
 * Which SBOM: the release's own `sbom`, else the service's template with `{version}` filled in,
 * else one found in the policy's `sboms` folders whose root component has that version and the
 * service's key as its name or the service's package. An SBOM the playbook names that cannot be
 * used is said (`sbomProblem`) and no found SBOM stands in for it: the playbook said which file
 * is the truth.
 */
import { PackageURL } from 'packageurl-js';
import { parsePurl, type AdvisoryIndex, type AdvisoryMatch } from '../advisories/index.js';
import type { LookupOptions } from '../advisories/advisoryIndex.js';
import { severityRank } from '../advisories/severity.js';
import type { ReleaseItem, ServiceModel } from '../parse/model.js';
import { sameRelease } from '../rules/versionTargets.js';
import { imageDigest, type ParsedSbom, type SbomComponent, type SbomHead } from './sbomParse.js';
import { removesFinding, vexDecision, type ReleaseIdentity, type VexDecision, type VexDocument } from './vexDecisions.js';

/**
 * One SBOM file: parsed, or why it cannot be used (missing, unreadable, too large, not an SBOM), or
 * (found in the policy's folders, in the editor) only its head read so far: which release it is.
 */
export type SbomEntry = { file: string; sbom: ParsedSbom; matches?: ComponentMatchMemo } | { file: string; problem: string } | { file: string; head: SbomHead };

/**
 * Which components of one SBOM an advisory index has advisories for, by the index's `dataKey`:
 * kept by the adapter across processes, so a first check of a 2,000-component release looks up
 * only the few components that matched last time against the same data, not all of them. The same
 * key means the same index content (see AdvisoryIndex), so the answer holds; an answer that does not
 * fit the SBOM (an index out of range) is not used.
 */
export interface ComponentMatchMemo {
  get(dataKey: string): readonly number[] | undefined;
  set(dataKey: string, components: readonly number[]): void;
}

/** What the adapter read for a check: the SBOMs the playbook names, those found in the policy's folders, and the VEX documents. */
export interface ReleaseData {
  /** By the path as the playbook writes it, `{version}` filled in (relative to the playbook). */
  named: ReadonlyMap<string, SbomEntry>;
  /**
   * Named SBOMs not read yet (the editor reads the rollback and deploy targets' first, the others
   * after the first diagnostics): such a release is neither clear nor flagged until its SBOM is in.
   */
  pending?: ReadonlySet<string>;
  /** Found in the policy's folders; an entry with only its head read leaves its release pending as a named one does. */
  found: readonly SbomEntry[];
  vex: readonly VexDocument[];
}

export const NO_RELEASE_DATA: ReleaseData = { named: new Map(), found: [], vex: [] };

/** An advisory that stands, with the VEX statement that kept it (`affected`, `under_investigation`) if one did. */
export interface StandingMatch {
  match: AdvisoryMatch;
  /** The component it was found on; absent for the service's own package. */
  component?: SbomComponent;
  decision?: VexDecision;
}

/** An advisory a VEX statement removed (`not_affected`, `fixed`). */
export interface DecidedMatch extends StandingMatch {
  decision: VexDecision;
}

export interface ReleaseStatus {
  version: string;
  /** The SBOM used, where it came from, and its path as the playbook writes it (the file's own path for a found one). */
  sbom?: { file: string; path: string; sbom: ParsedSbom; from: 'release' | 'service' | 'found' };
  /** The SBOM the playbook names (as written), when it cannot be used, and why. */
  sbomProblem?: { path: string; file: string; problem: string };
  /** The SBOM the playbook names is still being read: nothing is known of the components yet. */
  sbomPending?: true;
  /** Standing advisories, worst first: the service's own package's, then the components'. */
  standing: StandingMatch[];
  decided: DecidedMatch[];
}

/** The release a version names (`v1.2.3` names `1.2.3`), as the playbook lists it. */
function releaseItem(service: ServiceModel, version: string): ReleaseItem | undefined {
  return service.releases.find((r) => r.value === version) ?? service.releases.find((r) => sameRelease(r.value, version));
}

/** The SBOM path the playbook gives for a release: its own `sbom`, else the service's template. */
export function namedSbomPath(service: ServiceModel, version: string): string | undefined {
  return releaseItem(service, version)?.sbom ?? service.sbom?.split('{version}').join(version);
}

/** A service's known versions, once each, as written: its `releases`, then `current` when not among them. */
export function knownVersions(service: ServiceModel): string[] {
  return [...new Set([...service.releases.map((r) => r.value), ...(service.current === undefined ? [] : [service.current])])];
}

/** Every SBOM path a playbook names, for the adapter to read before the check. */
export function namedSbomPaths(services: Iterable<ServiceModel>): string[] {
  const paths = new Set<string>();
  for (const service of services) {
    for (const version of knownVersions(service)) {
      const named = namedSbomPath(service, version);
      if (named !== undefined) paths.add(named);
    }
  }
  return [...paths];
}

function samePackage(purl: string | undefined, other: string | undefined): boolean {
  if (purl === undefined || other === undefined) return false;
  const [a, b] = [parsePurl(purl), parsePurl(other)];
  return 'package' in a && 'package' in b && a.package.key === b.package.key;
}

/**
 * Why a named SBOM is not this release's: its root component is another version, or another
 * package than the service's (a template pointing at another service's files). Its components
 * would then be checked for the wrong release, which hides risks as easily as it invents them.
 * A root named otherwise than the service's key is fine: images and services are often named apart.
 */
function rootMismatch(sbom: ParsedSbom, service: ServiceModel, version: string): string | undefined {
  const digest = imageDigest(releaseItem(service, version)?.digest);
  if (digest !== undefined && sbom.digests.length > 0 && !sbom.digests.includes(digest)) {
    return `it describes the image ${sbom.digests.join(', ')}, not this release's ${digest}; it is not used for this release`;
  }
  const root = sbom.root;
  if (!root) return undefined;
  const rootName = `${root.name}${root.version !== undefined ? ` ${root.version}` : ''}`;
  if (root.purl !== undefined && service.purl !== undefined && !samePackage(root.purl, service.purl) && 'package' in parsePurl(root.purl)) {
    return `its root component is ${rootName} (${root.purl}), another package than the service's ${service.purl}; it is not used for this release`;
  }
  // An image's root is versioned by its digest (syft, trivy): that names no release, and was compared above.
  // The release's own image (its digest) may carry any tag (`latest`, a build number): the digest decides.
  const sameImage = digest !== undefined && sbom.digests.includes(digest);
  if (!sameImage && root.version !== undefined && imageDigest(root.version) === undefined && !sameRelease(root.version, version)) return `its root component is ${rootName}, not release ${version}; it is not used for this release`;
  return undefined;
}

/** The SBOM of a release, or why the one the playbook names cannot be used. */
export function releaseSbom(service: ServiceModel, version: string, data: ReleaseData): Pick<ReleaseStatus, 'sbom' | 'sbomProblem' | 'sbomPending'> {
  const path = namedSbomPath(service, version);
  if (path !== undefined) {
    if (data.pending?.has(path)) return { sbomPending: true };
    const entry = data.named.get(path);
    if (!entry) return {};
    const from = releaseItem(service, version)?.sbom !== undefined ? 'release' : 'service';
    if ('head' in entry) return { sbomPending: true };
    if ('problem' in entry) return { sbomProblem: { path, file: entry.file, problem: entry.problem } };
    const mismatch = rootMismatch(entry.sbom, service, version);
    return mismatch ? { sbomProblem: { path, file: entry.file, problem: mismatch } } : { sbom: { file: entry.file, path, sbom: entry.sbom, from } };
  }
  const entry = foundEntry(service, version, data.found);
  if (entry === undefined) return {};
  return 'head' in entry ? { sbomPending: true } : { sbom: { file: entry.file, path: entry.file, sbom: entry.sbom, from: 'found' } };
}

/**
 * The found SBOM of a release: the first in the folders that describes the release's image digest
 * (when the playbook gives one), else the first whose root is that version of the service (by its
 * key or its package).
 */
function foundEntry(service: ServiceModel, version: string, found: readonly SbomEntry[]): RootedEntry | undefined {
  const digest = imageDigest(releaseItem(service, version)?.digest);
  const byDigest = digest === undefined ? undefined : foundByVersion(found).get(digestKey(digest))?.[0];
  if (byDigest !== undefined) return byDigest;
  return foundByVersion(found).get(versionKey(version))?.find((entry) => {
    const root = rootOf(entry)!;
    // Another build of the same version (another image digest) is not this release.
    if (digest !== undefined && digestsOf(entry).length > 0 && !digestsOf(entry).includes(digest)) return false;
    return root.name === service.name || samePackage(root.purl, service.purl);
  });
}

/**
 * The found SBOMs of these releases (those the playbook names none for) whose head alone has been
 * read: what the first check of a playbook reads in full before it can say anything about them.
 */
export function targetFoundSboms(targets: ReadonlyArray<{ service: ServiceModel; version: string }>, found: readonly SbomEntry[]): string[] {
  const files = targets.flatMap(({ service, version }) => {
    if (namedSbomPath(service, version) !== undefined) return [];
    const entry = foundEntry(service, version, found);
    return entry !== undefined && 'head' in entry ? [entry.file] : [];
  });
  return [...new Set(files)];
}

/** Whether some SBOM of the data is still being read (named and pending, or found with only its head read). */
export function readingSboms(data: ReleaseData | undefined): boolean {
  return data !== undefined && ((data.pending?.size ?? 0) > 0 || data.found.some((entry) => 'head' in entry));
}

type RootedEntry = Exclude<SbomEntry, { problem: string }>;
const rootOf = (entry: SbomEntry): SbomComponent | undefined => ('sbom' in entry ? entry.sbom.root : 'head' in entry ? entry.head.root : undefined);
const digestsOf = (entry: SbomEntry): readonly string[] => ('sbom' in entry ? entry.sbom.digests : 'head' in entry ? entry.head.digests : []);
/** Digests and versions share the index: a digest's key cannot be a version's (`@` is in neither). */
const digestKey = (digest: string): string => `@${digest}`;

/** `v1.2.3` and `1.2.3` name one release (as sameRelease says). */
const versionKey = (version: string): string => version.trim().replace(/^v(?=\d)/, '');

/** The found SBOMs by their root component's version, built once per set: a check asks for every release of every service. */
const foundIndexes = new WeakMap<readonly SbomEntry[], Map<string, RootedEntry[]>>();
function foundByVersion(found: readonly SbomEntry[]): Map<string, RootedEntry[]> {
  let index = foundIndexes.get(found);
  if (!index) {
    index = new Map();
    for (const entry of found) {
      if ('problem' in entry) continue;
      for (const digest of digestsOf(entry)) index.set(digestKey(digest), [...(index.get(digestKey(digest)) ?? []), entry]);
      const version = rootOf(entry)?.version;
      if (version === undefined || imageDigest(version) !== undefined) continue;
      const key = versionKey(version);
      index.set(key, [...(index.get(key) ?? []), entry]);
    }
    foundIndexes.set(found, index);
  }
  return index;
}

/**
 * Answers already given, per release data and advisory index (both replaced, never changed, when
 * a file changes): a check asks about the same few releases on every keystroke, and each answer
 * costs a lookup per component (2,000 for a large image).
 */
const answers = new WeakMap<ReleaseData, WeakMap<AdvisoryIndex, Map<string, ReleaseStatus>>>();

/** `lookup` passes on to the index (the dry-run asks for the records' dates, to replay a day; those answers are not kept). */
export function releaseStatus(service: ServiceModel, version: string, data: ReleaseData, index: AdvisoryIndex, lookup: LookupOptions = {}): ReleaseStatus {
  if (lookup.dates) return computeReleaseStatus(service, version, data, index, lookup);
  // Everything of the service the answer depends on: its name, package, template, and the release's own SBOM and digest.
  const item = releaseItem(service, version);
  const key = JSON.stringify([service.name, service.purl ?? null, service.sbom ?? null, version, item?.sbom ?? null, item?.digest ?? null]);
  let byIndex = answers.get(data);
  if (!byIndex) answers.set(data, (byIndex = new WeakMap()));
  let byKey = byIndex.get(index);
  if (!byKey) byIndex.set(index, (byKey = new Map()));
  let status = byKey.get(key);
  if (!status) byKey.set(key, (status = computeReleaseStatus(service, version, data, index, lookup)));
  return status;
}

function computeReleaseStatus(service: ServiceModel, version: string, data: ReleaseData, index: AdvisoryIndex, lookup: LookupOptions): ReleaseStatus {
  const status: ReleaseStatus = { version, ...releaseSbom(service, version, data), standing: [], decided: [] };
  const purls = [service.purl, status.sbom?.sbom.root?.purl].filter((p): p is string => p !== undefined);
  const digest = releaseItem(service, version)?.digest;
  const release: ReleaseIdentity = { service: service.name, version, purls, ...(digest !== undefined ? { digest } : {}) };
  const consider = (match: AdvisoryMatch, component?: SbomComponent): void => {
    const decision = vexDecision(data.vex, [match.id, ...match.aliases], release, component?.purl);
    const entry = { match, ...(component ? { component } : {}), ...(decision ? { decision } : {}) };
    if (decision && removesFinding(decision)) status.decided.push({ ...entry, decision });
    else status.standing.push(entry);
  };
  if (service.purl !== undefined && 'package' in parsePurl(service.purl)) for (const match of index.lookup(service.purl, version, lookup)) consider(match);
  const components = status.sbom?.sbom.components ?? [];
  const memo = index.dataKey === undefined ? undefined : memoOf(status, data);
  const known = memo && knownMatches(memo.get(index.dataKey!), components.length);
  const matched: number[] = [];
  for (const i of known ?? components.keys()) {
    const matches = componentMatches(components[i]!, index, lookup);
    for (const match of matches) consider(match, components[i]);
    if (matches.length > 0) matched.push(i);
  }
  if (memo && !known) memo.set(index.dataKey!, matched);
  status.standing.sort(worstFirst);
  return status;
}

function componentMatches(component: SbomComponent, index: AdvisoryIndex, lookup: LookupOptions): AdvisoryMatch[] {
  if (component.purl === undefined) return [];
  const parsed = parsePurl(component.purl);
  if (!('package' in parsed)) return [];
  const componentVersion = parsed.package.version ?? component.version;
  // The package already parsed: `lookup(purl)` would parse the purl again, for each of thousands of components.
  return componentVersion === undefined ? [] : index.lookupPackage(parsed.package, componentVersion, lookup);
}

/** The memo of the SBOM entry the status uses (the very SBOM, read by the adapter). */
function memoOf(status: ReleaseStatus, data: ReleaseData): ComponentMatchMemo | undefined {
  const used = status.sbom;
  if (!used) return undefined;
  const entry = used.from === 'found' ? data.found.find((e) => e.file === used.file) : data.named.get(used.path);
  return entry && 'sbom' in entry && entry.sbom === used.sbom ? entry.matches : undefined;
}

/** Kept component numbers that fit an SBOM of `count` components (rising, each once), else undefined: computed again. */
function knownMatches(kept: readonly number[] | undefined, count: number): readonly number[] | undefined {
  if (!kept) return undefined;
  return kept.every((n, i) => Number.isSafeInteger(n) && n >= 0 && n < count && (i === 0 || n > kept[i - 1]!)) ? kept : undefined;
}

/** Worst severity first; the service's own package before its components on a tie; then by advisory id. */
function worstFirst(a: StandingMatch, b: StandingMatch): number {
  return severityRank(b.match.severity) - severityRank(a.match.severity) || Number(a.component !== undefined) - Number(b.component !== undefined) || (a.match.id < b.match.id ? -1 : a.match.id > b.match.id ? 1 : 0);
}

/** No advisory stands against the release (its own package and every component, so its SBOM must have been read). */
export function isClear(status: ReleaseStatus): boolean {
  return status.standing.length === 0 && !status.sbomPending;
}

/** The SBOM paths the rollback and deploy steps' targets name: what the first check cannot do without. */
export function targetSbomPaths(targets: ReadonlyArray<{ service: ServiceModel; version: string }>): string[] {
  return [...new Set(targets.flatMap(({ service, version }) => namedSbomPath(service, version) ?? []))];
}

/**
 * The release as a VEX product names it: an OCI image by its digest when the playbook gives one,
 * else the service's package at that version, else its SBOM's root component. Undefined when the
 * release has none of these (a VEX statement could not name it).
 */
export function releaseProduct(service: ServiceModel, version: string, status: ReleaseStatus): string | undefined {
  const digest = releaseItem(service, version)?.digest;
  if (service.purl !== undefined && 'package' in parsePurl(service.purl)) {
    try {
      const purl = PackageURL.fromString(service.purl.trim());
      const oci = purl.type === 'oci' && digest !== undefined;
      return new PackageURL(purl.type, purl.namespace, purl.name, oci ? digest : version, purl.qualifiers, purl.subpath).toString();
    } catch {
      // parsePurl accepted it: unreachable, but a purl that cannot be rebuilt names no product.
    }
  }
  return status.sbom?.sbom.root?.purl;
}
