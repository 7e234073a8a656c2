/**
 * The two JSON Schema validators. Run from the sources (tests), they are compiled once per process
 * on first use; the bundles ship them compiled at build time instead (scripts/standaloneValidators.mjs
 * replaces this module), since compiling the playbook schema is most of a fresh server's first
 * check. Both are made from the same options (ajvOptions.json), and a test checks they agree.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import playbookSchema from '../../../../schemas/playbook.schema.json';
import policySchema from '../../../../schemas/policy.schema.json';
import setup from './ajvOptions.json';

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function compile(name: string, schema: object): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    ajv ??= createAjv();
    validate = ajv.compile(schema);
    compiled.set(name, validate);
  }
  return validate;
}

function createAjv(): Ajv {
  const instance = new Ajv(setup.options);
  // Keywords VS Code's JSON support reads; they only annotate, so ajv must accept and ignore them.
  instance.addVocabulary(setup.editorAnnotations);
  return instance;
}

export const playbookValidator = (): ValidateFunction => compile('playbook', playbookSchema);
export const policyValidator = (): ValidateFunction => compile('policy', policySchema);
