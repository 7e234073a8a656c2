/**
 * VEX statements that name a vulnerability no loaded advisory reports for the products they name
 * (spec section 9): a typo in an id, or a decision about advisories this workspace does not load.
 * Such a statement decides nothing, and silence would let security believe it does. Looked up the
 * way a check looks up: each product and subcomponent by its purl and version, and, for a product
 * that is a release with an SBOM in the policy's folders (its root component), every component.
 */
import { parsePurl, type AdvisoryIndex } from '../advisories/index.js';
import type { ReleaseFileProblem } from './problemFindings.js';
import type { SbomEntry } from './releaseStatus.js';
import type { VexDocument } from './vexDecisions.js';
import type { VexStatement } from './vexParse.js';

/** The advisory ids and aliases the index reports for a purl at its own version. */
function idsFor(purl: string, index: AdvisoryIndex): string[] {
  const parsed = parsePurl(purl);
  if (!('package' in parsed) || parsed.package.version === undefined) return [];
  return index.lookupPackage(parsed.package, parsed.package.version).flatMap((m) => [m.id, ...m.aliases]);
}

function sameRoot(purl: string, root: string | undefined): boolean {
  if (root === undefined) return false;
  const [a, b] = [parsePurl(purl), parsePurl(root)];
  return 'package' in a && 'package' in b && a.package.key === b.package.key && a.package.version === b.package.version;
}

function reported(statement: VexStatement, found: readonly SbomEntry[], index: AdvisoryIndex): boolean {
  const wanted = new Set([statement.vulnerability, ...statement.aliases].map((id) => id.toUpperCase()));
  const purls: string[] = [];
  for (const product of statement.products) {
    if (product.purl !== undefined) purls.push(product.purl);
    purls.push(...product.subcomponents);
    for (const entry of found) {
      if ('sbom' in entry && product.purl !== undefined && sameRoot(product.purl, entry.sbom.root?.purl)) purls.push(...entry.sbom.components.flatMap((c) => (c.purl === undefined ? [] : [c.purl])));
    }
  }
  return purls.some((purl) => idsFor(purl, index).some((id) => wanted.has(id.toUpperCase())));
}

export function unknownVulnerabilities(documents: readonly VexDocument[], found: readonly SbomEntry[], index: AdvisoryIndex): ReleaseFileProblem[] {
  const out: ReleaseFileProblem[] = [];
  for (const document of documents) {
    for (const statement of document.statements) {
      // A product known only by name and version cannot be looked up: nothing to say about it.
      if (statement.products.every((p) => p.purl === undefined && p.subcomponents.length === 0)) continue;
      if (reported(statement, found, index)) continue;
      const names = [statement.vulnerability, ...statement.aliases].join(', ');
      out.push({ setting: 'vex', file: document.file, severity: 'warning', message: `the statement at line ${statement.position.line + 1} names ${names}, which no loaded advisory reports for the products it names; it decides nothing (check the id, or load the advisories that report it)` });
    }
  }
  return out;
}
