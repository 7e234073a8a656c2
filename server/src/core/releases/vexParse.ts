/**
 * A VEX document's text → security's statements (spec section 9): OpenVEX JSON (`openVex.ts`) or
 * CycloneDX JSON with `vulnerabilities[].analysis` (`cycloneDxVex.ts`). Anything else is
 * `{ problem }`; a statement that cannot be used is dropped with a problem (`vexStatements.ts`).
 * Never throws; bounded like the SBOM parser: nesting past `maxDepth` is refused, statements and
 * components past their limits are read but not built. Positions come from the JSON structure.
 */
import { cycloneDxVersion, isComponentPath } from './cycloneDx.js';
import { readCycloneDxVex, isVulnerabilityPath } from './cycloneDxVex.js';
import { isOpenVex, isStatementPath, readOpenVex } from './openVex.js';
import { keepWithin, readJsonObject, type Budget } from './readDocument.js';
import type { ParsedVex } from './vexStatements.js';

export type { ParsedVex, VexProduct, VexStatement, VexStatus } from './vexStatements.js';

export interface VexLimits {
  /** Most statements (OpenVEX) or vulnerabilities (CycloneDX) read. */
  maxStatements: number;
  /** Most CycloneDX components read to resolve `affects[].ref`. */
  maxComponents: number;
  maxDepth: number;
}

const DEFAULT_VEX_LIMITS: VexLimits = { maxStatements: 100_000, maxComponents: 200_000, maxDepth: 64 };

const EXPECTED = 'a VEX document in OpenVEX JSON or CycloneDX JSON';

export function parseVex(text: string, limits: VexLimits = DEFAULT_VEX_LIMITS): ParsedVex | { problem: string } {
  const statements: Budget = { matches: isStatementPath, limit: limits.maxStatements, seen: 0 };
  const vulnerabilities: Budget = { matches: isVulnerabilityPath, limit: limits.maxStatements, seen: 0 };
  const components: Budget = { matches: isComponentPath, limit: limits.maxComponents, seen: 0 };
  const document = readJsonObject(text, { maxDepth: limits.maxDepth, keep: keepWithin([statements, vulnerabilities, components]) }, EXPECTED);
  if ('problem' in document) return document;
  const { root, positions } = document;

  if (isOpenVex(root)) {
    const read = readOpenVex(root, positions);
    const over = statements.seen > statements.limit ? [`holds more than ${statements.limit} statements; the rest were not read`] : [];
    return { format: 'OpenVEX', statements: read.statements, problems: [...over, ...read.problems] };
  }
  if (root['bomFormat'] === 'CycloneDX') {
    const version = cycloneDxVersion(root['specVersion'], 4);
    if ('problem' in version) return version;
    if (!Array.isArray(root['vulnerabilities'])) return { problem: `the CycloneDX document has no \`vulnerabilities\`, so it holds no VEX statement: expected ${EXPECTED}` };
    const read = readCycloneDxVex(root, positions);
    const over = [
      ...(vulnerabilities.seen > vulnerabilities.limit ? [`holds more than ${vulnerabilities.limit} vulnerabilities; the rest were not read`] : []),
      ...(components.seen > components.limit ? [`holds more than ${components.limit} components; the rest were not read, and a reference to one of them is not resolved`] : []),
    ];
    return { format: 'CycloneDX', statements: read.statements, problems: [...over, ...read.problems] };
  }
  return { problem: `the document is neither OpenVEX (an \`@context\` of https://openvex.dev/ns/…) nor CycloneDX (\`bomFormat: "CycloneDX"\`): expected ${EXPECTED}` };
}
