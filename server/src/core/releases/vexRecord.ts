/**
 * Security's decision on an advisory, written as code (spec section 9): one OpenVEX 0.2.0
 * statement added to a document, or a new document holding it. An existing document is edited in
 * place with jsonc-parser's `modify`, so what security wrote by hand (order, spacing, other
 * statements) stays as it is; the document's `version` goes up by one and `last_updated` is set,
 * as OpenVEX asks of a changed document. A file that is not an OpenVEX document is never
 * overwritten: the caller is told why.
 */
import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser/lib/esm/main.js';
import type { VexStatus } from './vexParse.js';

const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';

/** OpenVEX's justifications for `not_affected` (the spec's list, in its order). */
const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;

export interface VexDecisionInput {
  /** The advisory id, and its aliases (CVE ids). */
  vulnerability: string;
  aliases: readonly string[];
  /** The release: a purl (`pkg:oci/checkout@sha256:…`, `pkg:maven/…@1.3.15`). */
  product: string;
  /** The component of the release the advisory is on, when it is not the release's own package. */
  subcomponent?: string;
  status: VexStatus;
  justification?: string;
  impactStatement?: string;
  actionStatement?: string;
  author: string;
  /** ISO date-time of the decision (the adapter's clock). */
  timestamp: string;
  /** The IRI a new document gets (`urn:uuid:…`, from the adapter). */
  documentId: string;
}

const FORMAT: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };

/** Why the decision cannot be recorded as given: OpenVEX's own rules for each status. */
function inputProblem(input: VexDecisionInput): string | undefined {
  if (input.status === 'not_affected' && !input.justification && !input.impactStatement) return 'a not_affected decision needs a justification or an impact statement';
  if (input.justification !== undefined && !(VEX_JUSTIFICATIONS as readonly string[]).includes(input.justification)) return `${input.justification} is not one of OpenVEX's justifications (${VEX_JUSTIFICATIONS.join(', ')})`;
  if (input.status === 'affected' && !input.actionStatement) return 'an affected decision needs an action statement (what to do about it)';
  if (!input.author.trim()) return 'the decision needs an author';
  return undefined;
}

function statementOf(input: VexDecisionInput): Record<string, unknown> {
  return {
    vulnerability: { name: input.vulnerability, ...(input.aliases.length ? { aliases: [...input.aliases] } : {}) },
    products: [{ '@id': input.product, ...(input.subcomponent ? { subcomponents: [{ '@id': input.subcomponent }] } : {}) }],
    status: input.status,
    ...(input.justification ? { justification: input.justification } : {}),
    ...(input.impactStatement ? { impact_statement: input.impactStatement } : {}),
    ...(input.actionStatement ? { action_statement: input.actionStatement } : {}),
    timestamp: input.timestamp,
  };
}

/** The document's text with the statement added (`existing` undefined: a new document), or why not. */
export function recordVexDecision(existing: string | undefined, input: VexDecisionInput): { text: string } | { problem: string } {
  const problem = inputProblem(input);
  if (problem) return { problem };
  const statement = statementOf(input);
  if (existing === undefined || existing.trim() === '') {
    const document = { '@context': OPENVEX_CONTEXT, '@id': input.documentId, author: input.author, timestamp: input.timestamp, version: 1, statements: [statement] };
    return { text: `${JSON.stringify(document, null, 2)}\n` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(existing);
  } catch {
    return { problem: 'the file is not valid JSON; fix it or move it away, so that no decision in it is lost' };
  }
  const document = parsed as Record<string, unknown> | null;
  if (typeof document !== 'object' || document === null || Array.isArray(document) || typeof document['@context'] !== 'string' || !document['@context'].startsWith('https://openvex.dev/ns') || !Array.isArray(document['statements'])) {
    return { problem: 'the file is not an OpenVEX document (an @context of https://openvex.dev/ns and a statements list); it is left as it is' };
  }
  const version = typeof document['version'] === 'number' && Number.isInteger(document['version']) ? document['version'] + 1 : 1;
  let text = existing;
  const edit = (path: Array<string | number>, value: unknown, insert = false): void => {
    text = applyEdits(text, modify(text, path, value, { formattingOptions: FORMAT, ...(insert ? { isArrayInsertion: true } : {}) }));
  };
  edit(['statements', (document['statements'] as unknown[]).length], statement, true);
  edit(['version'], version);
  edit(['last_updated'], input.timestamp);
  return { text: text.endsWith('\n') ? text : `${text}\n` };
}
