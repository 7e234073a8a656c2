/**
 * The editor's environments read the SBOMs of the policy's folders by their heads first (which
 * release each is), the rollback and deploy targets' whole before the first check, and the rest
 * when asked (`releases.readRest`), after which the environment is replaced by one with every
 * found SBOM whole and their problems said. A CLI run reads each whole at once.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parsePlaybook, readingSboms, releaseStatus, targetFoundSboms, versionTargets } from '../../server/src/core/index.js';
import { CheckEnvironment } from '../../server/src/node/checkEnvironment.js';
import { releaseDataFor, releaseDataNow } from '../../server/src/node/releaseFiles.js';
import { workspace } from '../cli/helpers.js';
import { guardedRollback } from './helpers/guardedRollback.js';
import { SBOM_ADVISORIES, SBOM_DIR, sbomBrokenAtEnd } from './helpers/sbomFixtures.js';

const SBOM = readFileSync(path.join(SBOM_DIR, 'dropwizard-1.3.15.cdx.json'), 'utf8');
/** Small enough to be read whole at once (under the 64 KB a head is read from). */
const SMALL = readFileSync(path.join(SBOM_DIR, 'cyclonedx/checkout-2.4.0.cdx.json'), 'utf8');

const PLAYBOOK = guardedRollback({ id: 'api-outage', services: '  api:\n    package: pkg:maven/io.dropwizard/dropwizard-parent\n    current: 1.3.29\n    releases: [1.3.15, 1.3.29]', service: 'api', to: '1.3.15' });

function setUp(): { root: string; file: (name: string) => string } {
  const root = workspace({
    ...SBOM_ADVISORIES,
    '.playbooks/policy.yaml': 'policy: 1\n',
    '.playbooks/sboms/dropwizard-1.3.15.cdx.json': SBOM,
    '.playbooks/sboms/dropwizard-1.3.29.cdx.json': sbomBrokenAtEnd('1.3.29'),
    '.playbooks/sboms/checkout-2.4.0.cdx.json': SMALL,
    'api.playbook.yaml': PLAYBOOK,
  });
  return { root, file: (name) => path.join(root, '.playbooks/sboms', name) };
}

const kinds = (found: ReadonlyArray<object & { file: string }>): Record<string, string> =>
  Object.fromEntries(found.map((entry) => [path.basename(entry.file), 'head' in entry ? 'head' : 'sbom' in entry ? 'whole' : 'problem']));

describe('found SBOMs read by their heads first (the editor)', () => {
  test('large ones by their heads, a small one whole; the targets\' read whole for the check; the rest once asked, with their problems', async () => {
    const { root, file } = setUp();
    const environments = new CheckEnvironment(root, undefined, undefined, [], { sbomHeadsFirst: true });
    const first = await environments.environmentForFolder(root);
    assert.deepEqual(kinds(first.releases.folders.found), { 'checkout-2.4.0.cdx.json': 'whole', 'dropwizard-1.3.15.cdx.json': 'head', 'dropwizard-1.3.29.cdx.json': 'head' });
    assert.ok(!first.releases.folders.problems.some((p) => p.file === file('dropwizard-1.3.29.cdx.json')), 'its broken end is not known yet');

    const parsed = parsePlaybook(PLAYBOOK);
    const service = parsed.model.services.get('api')!;
    const targets = versionTargets(parsed);
    const required = { named: [], found: targetFoundSboms(targets, first.releases.folders.found) };
    assert.deepEqual(required.found, [file('dropwizard-1.3.15.cdx.json')], 'the rollback target\'s, found by its head');
    const playbookFile = path.join(root, 'api.playbook.yaml');
    const { policy } = first.loaded;
    assert.equal(releaseDataNow(playbookFile, parsed, policy, first.releases, required), undefined, 'not read yet');
    const data = await releaseDataFor(playbookFile, parsed, policy, first.releases, required);
    assert.deepEqual(kinds(data.found), { 'checkout-2.4.0.cdx.json': 'whole', 'dropwizard-1.3.15.cdx.json': 'whole', 'dropwizard-1.3.29.cdx.json': 'head' });
    assert.equal(releaseDataNow(playbookFile, parsed, policy, first.releases, required), data, 'the same data once read');
    assert.ok(readingSboms(data));
    const rollback = releaseStatus(service, '1.3.15', data, first.advisories.index);
    assert.ok(rollback.standing.some((s) => s.component?.name === 'h2'), 'the target checked through its whole SBOM');
    assert.deepEqual(releaseStatus(service, '1.3.29', data, first.advisories.index).sbomPending, true, 'the other release pending, not clear');

    await first.releases.readRest!();
    const whole = await environments.environmentForFolder(root);
    assert.notEqual(whole, first, 'a new environment');
    assert.deepEqual(kinds(whole.releases.folders.found), { 'checkout-2.4.0.cdx.json': 'whole', 'dropwizard-1.3.15.cdx.json': 'whole', 'dropwizard-1.3.29.cdx.json': 'problem' });
    assert.match(whole.releases.folders.problems.find((p) => p.file === file('dropwizard-1.3.29.cdx.json'))?.message ?? '', /invalid JSON at line \d+/);
    assert.equal(whole.releases.readRest, undefined);
    const after = releaseDataNow(playbookFile, parsed, whole.loaded.policy, whole.releases, required)!;
    assert.ok(!readingSboms(after));
    assert.equal(releaseStatus(service, '1.3.29', after, whole.advisories.index).sbom, undefined, 'the broken SBOM describes no release');
  });

  test('a CLI run reads every found SBOM whole at once', async () => {
    const { root } = setUp();
    const environment = await new CheckEnvironment(root).environmentForFolder(root);
    assert.deepEqual(kinds(environment.releases.folders.found), { 'checkout-2.4.0.cdx.json': 'whole', 'dropwizard-1.3.15.cdx.json': 'whole', 'dropwizard-1.3.29.cdx.json': 'problem' });
    assert.equal(environment.releases.readRest, undefined);
  });
});
