/**
 * The bundles validate with schema validators compiled at build time (scripts/standaloneValidators.mjs);
 * the sources compile them at run time (server/src/core/schema/validators.ts). Both must judge every
 * document alike: the same verdict and the same errors, down to the schema path and the data, over
 * every playbook and policy in the repository and a set of broken ones.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { playbookValidator, policyValidator } from '../../server/src/core/schema/validators.js';

const ROOT = path.join(__dirname, '../..');

interface Validators {
  playbookValidator(): ValidateFunction;
  policyValidator(): ValidateFunction;
}

/** The build's module, evaluated as the bundle would: CommonJS, requiring ajv's runtime from this repository. */
async function standalone(): Promise<Validators> {
  const { standaloneValidators } = (await import(pathToFileURL(path.join(ROOT, 'scripts/standaloneValidators.mjs')).href)) as { standaloneValidators(): string };
  const module = { exports: {} as Validators };
  new Function('exports', 'require', 'module', standaloneValidators())(module.exports, createRequire(path.join(ROOT, 'package.json')), module);
  return module.exports;
}

function yamlFiles(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => pattern.test(f) && !f.includes('node_modules')).map((f) => path.join(dir, f));
}

const playbooks = [...yamlFiles(path.join(ROOT, 'examples'), /\.playbook\.yaml$/), ...yamlFiles(path.join(ROOT, 'test/fixtures'), /\.playbook\.yaml$/)];
const policies = [path.join(ROOT, 'examples/.playbooks/policy.yaml'), ...yamlFiles(path.join(ROOT, 'test'), /policy\.ya?ml$/)];

/** Documents that break the schema in many ways at once. */
const BROKEN_PLAYBOOKS: unknown[] = [
  {},
  { playbook: 3, title: ['x'], owners: 'nobody', steps: 'none' },
  { playbook: 'p', title: 't', owners: { sre: '@a' }, steps: [{ id: 'x', action: 'rollback', to: { v: 1 } }, { action: 'checkpoint', kind: 'nope' }, 5, null], extra: true },
  { playbook: 'p', title: 't', owners: { sre: '@a' }, services: { api: { releases: [{ digest: 'x' }, 7], sbom: 3 } }, steps: [] },
];
const BROKEN_POLICIES: unknown[] = [{}, { policy: 2, rules: { PB100: 'loud' }, 'advisories-max-age': 'soon', limits: { maxSteps: -1 } }, { policy: 1, notify: { security: { 'webhook-env': 3 } } }];

function sameJudgement(name: string, a: ValidateFunction, b: ValidateFunction, data: unknown): void {
  const verdict = a(data);
  assert.equal(b(data), verdict, `${name}: the same verdict`);
  assert.deepEqual(b.errors ?? null, a.errors ?? null, `${name}: the same errors`);
}

describe('schema validators compiled at build time', () => {
  test('judge every playbook and policy as the run-time compiled ones do', async () => {
    const built = await standalone();
    assert.ok(playbooks.length >= 10 && policies.length >= 1, `${playbooks.length} playbooks, ${policies.length} policies`);
    for (const file of playbooks) {
      let data: unknown;
      try {
        data = parse(readFileSync(file, 'utf8'));
      } catch {
        continue; // not YAML at all: the schema never sees it
      }
      sameJudgement(path.relative(ROOT, file), playbookValidator(), built.playbookValidator(), data);
    }
    for (const file of policies) sameJudgement(path.relative(ROOT, file), policyValidator(), built.policyValidator(), parse(readFileSync(file, 'utf8')));
    BROKEN_PLAYBOOKS.forEach((data, i) => sameJudgement(`broken playbook ${i}`, playbookValidator(), built.playbookValidator(), data));
    BROKEN_POLICIES.forEach((data, i) => sameJudgement(`broken policy ${i}`, policyValidator(), built.policyValidator(), data));
    assert.equal(built.playbookValidator()(BROKEN_PLAYBOOKS[1]), false, 'not vacuous: a broken playbook fails');
    // The findings read field lists from the validator's schema.
    assert.deepEqual(built.playbookValidator().schema, playbookValidator().schema);
    assert.deepEqual(built.policyValidator().schema, policyValidator().schema);
  });
});
