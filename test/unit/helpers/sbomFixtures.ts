/** The real SBOMs, advisories and VEX documents of test/fixtures/sbom (see its SOURCE.md), as workspace files. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const SBOM_DIR = path.join(__dirname, '../../fixtures/sbom');

/** The advisories on those SBOMs' components (osv/), as `.playbooks/advisories/<id>.json` → text. */
export const SBOM_ADVISORIES: Readonly<Record<string, string>> = Object.fromEntries(
  readdirSync(path.join(SBOM_DIR, 'osv')).filter((f) => f.endsWith('.json')).map((f) => [`.playbooks/advisories/${f}`, readFileSync(path.join(SBOM_DIR, 'osv', f), 'utf8')]),
);
