/**
 * Which of security's VEX statements decides an advisory for a release or one of its components
 * (spec section 9). A statement speaks of an advisory when its vulnerability, or one of its
 * aliases, is the advisory's id or one of the advisory's aliases. It speaks of the release when a
 * product is the service's package at that version (or the package of its SBOM's root component:
 * the release is that component), the release's OCI digest, or a product known
 * only by name and version that are the service's key and the version (such a product, with no
 * subcomponents, decides for the whole release: its own package and every component); and of one
 * component when the component's purl is a product on its own or a subcomponent of a release
 * product. Purls compare as advisories compare
 * them (type, namespace and name as the ecosystem spells them) plus the version; qualifiers such
 * as `?type=jar` play no part. For one vulnerability and product the latest timestamp wins;
 * without timestamps, the statement read last.
 */
import { parsePurl } from '../advisories/purl.js';
import type { VexStatement } from './vexParse.js';

/** A VEX document's usable statements, with the file they came from. */
export interface VexDocument {
  file: string;
  statements: readonly VexStatement[];
}

/** The release a statement must name: the service's key and version, its packages (the service's, its SBOM's root component's) and the release's digest. */
export interface ReleaseIdentity {
  service: string;
  purls: readonly string[];
  version: string;
  digest?: string;
}

export interface VexDecision {
  statement: VexStatement;
  file: string;
}

/** A package URL's identity for VEX: the advisory key and the version, or undefined when it is not one. */
function purlIdentity(purl: string): { key: string; version?: string; digest?: string } | undefined {
  const parsed = parsePurl(purl);
  if (!('package' in parsed)) return undefined;
  const { key, version, type } = parsed.package;
  // An OCI image is known by its digest: `pkg:oci/checkout@sha256:…`.
  return type === 'oci' && version?.includes(':') ? { key, digest: version } : { key, ...(version !== undefined ? { version } : {}) };
}

function samePackageVersion(a: string, b: { key: string; version: string }): boolean {
  const id = purlIdentity(a);
  return id !== undefined && id.key === b.key && id.version === b.version;
}

/**
 * The statement that decides advisory `ids` (its id and aliases) for `release`, or for `component`
 * (a purl with its version) inside it; undefined when no statement speaks of it.
 */
export function vexDecision(documents: readonly VexDocument[], ids: readonly string[], release: ReleaseIdentity, component?: string): VexDecision | undefined {
  const wanted = new Set(ids.map((id) => id.toUpperCase()));
  const releaseKeys = release.purls.flatMap((purl) => {
    const id = purlIdentity(purl);
    return id ? [{ key: id.key, version: release.version }] : [];
  });
  const componentId = component === undefined ? undefined : purlIdentity(component);
  const componentKey = componentId?.version === undefined ? undefined : { key: componentId.key, version: componentId.version };
  const isRelease = (product: VexStatement['products'][number]): boolean =>
    (product.purl !== undefined && (releaseKeys.some((key) => samePackageVersion(product.purl!, key)) || (release.digest !== undefined && purlIdentity(product.purl)?.digest === release.digest))) ||
    (product.digest !== undefined && product.digest === release.digest) ||
    (product.purl === undefined && product.name === release.service && product.version === release.version);
  let best: (VexDecision & { time: number; order: number }) | undefined;
  let order = 0;
  for (const document of documents) {
    for (const statement of document.statements) {
      order++;
      if (![statement.vulnerability, ...statement.aliases].some((id) => wanted.has(id.toUpperCase()))) continue;
      const applies = statement.products.some((product) => {
        const whole = product.subcomponents.length === 0;
        // The release as a whole decides its own advisories and its components' alike.
        if (whole && isRelease(product)) return true;
        if (componentKey === undefined) return false;
        // The component on its own (wherever it is), or as a subcomponent of this release.
        if (whole && product.purl !== undefined && samePackageVersion(product.purl, componentKey)) return true;
        return isRelease(product) && product.subcomponents.some((sub) => samePackageVersion(sub, componentKey));
      });
      if (!applies) continue;
      const time = statement.timestamp === undefined ? -Infinity : Date.parse(statement.timestamp);
      const at = Number.isNaN(time) ? -Infinity : time;
      if (!best || at > best.time || (at === best.time && order > best.order)) best = { statement, file: document.file, time: at, order };
    }
  }
  return best && { statement: best.statement, file: best.file };
}

/** Whether a decision removes the finding: `not_affected` and `fixed` do; `affected` and `under_investigation` keep it. */
export function removesFinding(decision: VexDecision | undefined): boolean {
  return decision?.statement.status === 'not_affected' || decision?.statement.status === 'fixed';
}
