/** The real SBOMs, advisories and VEX documents of test/fixtures/sbom (see its SOURCE.md), as workspace files. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const SBOM_DIR = path.join(__dirname, '../../fixtures/sbom');

/** The advisories on those SBOMs' components (osv/), as `.playbooks/advisories/<id>.json` → text. */
export const SBOM_ADVISORIES: Readonly<Record<string, string>> = Object.fromEntries(
  readdirSync(path.join(SBOM_DIR, 'osv')).filter((f) => f.endsWith('.json')).map((f) => [`.playbooks/advisories/${f}`, readFileSync(path.join(SBOM_DIR, 'osv', f), 'utf8')]),
);

/**
 * dropwizard's real SBOM as release `version` by its root component, made invalid at its very end
 * (a trailing comma): its head says which release it is, only a whole read sees the problem.
 */
export function sbomBrokenAtEnd(version: string): string {
  const sbom = readFileSync(path.join(SBOM_DIR, 'dropwizard-1.3.15.cdx.json'), 'utf8');
  const broken = sbom.replace('"name": "dropwizard-parent",\n      "version": "1.3.15",', `"name": "dropwizard-parent",\n      "version": "${version}",`).replace(/\n {2}\]\n\}\s*$/, '\n  ],\n}\n');
  if (!broken.endsWith('],\n}\n') || !broken.includes(`"version": "${version}"`)) throw new Error('the fixture changed: sbomBrokenAtEnd no longer applies');
  return broken;
}
