/** Every example playbook rehearsed as the CLI rehearses it (its policy and advisories), under the scenarios that fit it. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkPlaybook } from '../../../server/src/core/check.js';
import { simulate, type DryRun, type Scenario } from '../../../server/src/core/dryrun/index.js';
import { CheckEnvironment } from '../../../server/src/node/checkEnvironment.js';

const ROOT = path.join(__dirname, '../../..');

/** Everything succeeds; a rollback fails; security says no: each where the example has such a step. */
const SCENARIOS: ReadonlyArray<Partial<Scenario>> = [{}, { fail: ['roll-back'] }, { deny: ['security-review'] }, { fail: ['tell-security'] }];

export async function exampleRuns(): Promise<Array<{ file: string; run: DryRun }>> {
  const out: Array<{ file: string; run: DryRun }> = [];
  for (const name of readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.playbook.yaml')).sort()) {
    const file = path.join(ROOT, 'examples', name);
    const { loaded, advisories } = await new CheckEnvironment(ROOT).forPlaybook(file);
    const analysis = checkPlaybook(readFileSync(file, 'utf8'), { policy: loaded.policy, advisories });
    const ids = new Set(analysis.parsed.model.steps.map((s) => s.id));
    for (const scenario of SCENARIOS) {
      if ([...(scenario.fail ?? []), ...(scenario.deny ?? [])].every((id) => ids.has(id))) out.push({ file: `examples/${name}`, run: simulate(analysis, scenario) });
    }
  }
  return out;
}
