/** The two JSON Schema validators, compiled once per process on first use. */
import Ajv, { type ValidateFunction } from 'ajv';
import playbookSchema from '../../../../schemas/playbook.schema.json';
import policySchema from '../../../../schemas/policy.schema.json';

/** Keywords VS Code's JSON support reads; they only annotate, so ajv must accept and ignore them. */
const EDITOR_ANNOTATIONS = ['markdownDescription', 'patternErrorMessage', 'errorMessage', 'enumDescriptions', 'defaultSnippets', 'doNotSuggest'];

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
  const instance = new Ajv({
    allErrors: true,
    verbose: true,
    discriminator: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
  });
  instance.addVocabulary(EDITOR_ANNOTATIONS);
  return instance;
}

export const playbookValidator = (): ValidateFunction => compile('playbook', playbookSchema);
export const policyValidator = (): ValidateFunction => compile('policy', policySchema);
