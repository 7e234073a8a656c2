/**
 * The shape of a VEX statement (spec section 9) and the checks every VEX format shares: a product
 * must be something a release or a component can be matched to, and a statement must name a
 * vulnerability, a product and a known status, and back a `not_affected` with a justification or
 * an impact statement. What fails a check is dropped with a problem, never guessed at.
 *
 * A product that names a subcomponent this cannot read is dropped whole: kept without it, the
 * statement would speak of the whole product, a wider decision than security wrote.
 */
import { parsePurl } from '../advisories/purl.js';
import type { TextPosition } from './jsonTree.js';
import { quoted } from './readDocument.js';

export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

export interface VexProduct {
  purl?: string;
  /** `sha256:…`, from a `pkg:oci` purl's version or an OpenVEX `hashes` entry. */
  digest?: string;
  /** A product known only by name and version (a CycloneDX bom-ref to a component with no purl). */
  name?: string;
  version?: string;
  /** Package URLs. */
  subcomponents: string[];
}

export interface VexStatement {
  vulnerability: string;
  aliases: string[];
  products: VexProduct[];
  status: VexStatus;
  justification?: string;
  impactStatement?: string;
  actionStatement?: string;
  timestamp?: string;
  author?: string;
  /** Where the statement's object starts. */
  position: TextPosition;
}

export interface ParsedVex {
  format: 'OpenVEX' | 'CycloneDX';
  statements: VexStatement[];
  problems: string[];
}

const STATUSES: readonly string[] = ['not_affected', 'affected', 'fixed', 'under_investigation'];

/** How a problem names a statement: "statement 2 (`CVE-…`, line 14)". */
export function statementLabel(kind: string, index: number, vulnerability: string | undefined, position: TextPosition): string {
  return `${kind} ${index + 1} (${vulnerability === undefined ? '' : `${quoted(vulnerability)}, `}line ${position.line + 1})`;
}

/** A package URL as a product, with the digest a `pkg:oci` purl carries as its version; or why it is not one. */
export function purlProduct(purl: string): VexProduct | { problem: string } {
  const parsed = parsePurl(purl);
  if ('problem' in parsed) return parsed;
  const product: VexProduct = { purl: purl.trim(), subcomponents: [] };
  const version = parsed.package.version?.toLowerCase();
  if (parsed.package.type === 'oci' && version !== undefined && /^sha(256|512):[0-9a-f]+$/.test(version)) product.digest = version;
  return product;
}

/** A statement whose fields a format has read → the statement, or why it is dropped. */
export function checkedStatement(label: string, draft: Omit<VexStatement, 'status' | 'vulnerability'> & { status: unknown; vulnerability: string | undefined }): VexStatement | { problem: string } {
  const { vulnerability, status } = draft;
  if (vulnerability === undefined || vulnerability.trim() === '') return { problem: `${label} names no vulnerability; it was ignored` };
  if (status === undefined) return { problem: `${label} has no status; it was ignored` };
  if (typeof status !== 'string' || !STATUSES.includes(status)) return { problem: `${label} has status ${quoted(status)}, which is not one of ${STATUSES.join(', ')}; it was ignored` };
  if (draft.products.length === 0) return { problem: `${label} names no product that can be matched; it was ignored` };
  if (status === 'not_affected' && !draft.justification && !draft.impactStatement) {
    return { problem: `${label} says not_affected without a justification or an impact statement; it was ignored` };
  }
  const statement: VexStatement = { vulnerability, aliases: draft.aliases, products: draft.products, status: status as VexStatus, position: draft.position };
  for (const key of ['justification', 'impactStatement', 'actionStatement', 'timestamp', 'author'] as const) {
    const value = draft[key];
    if (value !== undefined && value !== '') statement[key] = value;
  }
  return statement;
}

/** The strings of a list, each once, without `except`. */
export function distinctStrings(values: readonly unknown[], except?: string): string[] {
  return [...new Set(values.filter((value): value is string => typeof value === 'string' && value !== '' && value !== except))];
}
