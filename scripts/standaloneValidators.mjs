// The schema validators compiled ahead of time (ajv's standalone code): the module the bundles use
// in place of server/src/core/schema/validators.ts, which compiles them at run time. Compiling the
// playbook schema costs a fresh process hundreds of milliseconds, paid before its first diagnostics.
// Same options (ajvOptions.json), same exports; test/unit/standalone-validators.test.ts compares them.
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { readFileSync } from 'node:fs';

const read = (path) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));

/** CommonJS source exporting `playbookValidator()` and `policyValidator()`, as validators.ts does. */
export function standaloneValidators() {
  const setup = read('../server/src/core/schema/ajvOptions.json');
  const playbook = read('../schemas/playbook.schema.json');
  const policy = read('../schemas/policy.schema.json');
  const ajv = new Ajv({ ...setup.options, code: { source: true, esm: false } });
  ajv.addVocabulary(setup.editorAnnotations);
  ajv.addSchema(playbook);
  ajv.addSchema(policy);
  const code = standaloneCode(ajv, { playbook: playbook.$id, policy: policy.$id });
  // A compiled ValidateFunction carries its schema (the findings read the field lists from it); standalone code does not.
  const withSchema = (name, file) => `exports.${name}.schema = require(${JSON.stringify(`./schemas/${file}`)});`;
  return [code, withSchema('playbook', 'playbook.schema.json'), withSchema('policy', 'policy.schema.json'),
    'exports.playbookValidator = () => exports.playbook;', 'exports.policyValidator = () => exports.policy;', ''].join('\n');
}
