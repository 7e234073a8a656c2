/**
 * The policy "Playbook: Open Policy" writes when there is none: it parses without findings to the
 * built-in defaults, names every setting the schema has, and each commented setting is exactly
 * the default — uncommenting all of them (but those that have none) changes nothing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPolicyText } from '../../server/src/core/policy/defaultPolicyText.js';
import { parsePolicy } from '../../server/src/core/policy/parsePolicy.js';
import type { Policy } from '../../server/src/core/policy/policy.js';
import { RULES_BY_ID } from '../../server/src/core/rules/index.js';
import policySchema from '../../schemas/policy.schema.json';

const text = defaultPolicyText();
/** A commented setting: a key of the schema (or of its limits), or a rule id under `rules`; prose that happens to wrap before a colon is not one. */
const SETTING_LINE = new RegExp(`^# (${Object.keys(policySchema.properties).join('|')}):|^# {3}(${Object.keys(policySchema.properties.limits.properties).join('|')}|PB\\d{3}):`);
/** What a policy file that sets nothing but its version gives: the built-in defaults. */
const DEFAULTS = parsePolicy('policy: 1\n').policy;

/** The values in force: a setting left out means the schema's default (the loaders apply it). */
function effective(policy: Policy): Policy {
  const props = policySchema.properties;
  const limitDefaults = Object.fromEntries(Object.entries(props.limits.properties).map(([k, v]) => [k, v.default]));
  return {
    ...policy,
    advisoriesMirror: policy.advisoriesMirror ?? props['advisories-mirror'].default,
    advisoriesUpdateDir: policy.advisoriesUpdateDir ?? props['advisories-update-dir'].default,
    limits: { ...limitDefaults, ...policy.limits },
    // A rule set to its own default severity is the rule left alone.
    rules: Object.fromEntries(Object.entries(policy.rules).filter(([id, severity]) => RULES_BY_ID.get(id)?.defaultSeverity !== severity)),
  };
}

describe('the default policy text', () => {
  test('parses cleanly to the built-in defaults', () => {
    const parsed = parsePolicy(text);
    assert.deepEqual(parsed.findings, []);
    assert.deepEqual(parsed.policy, DEFAULTS);
  });

  test('names every setting of the schema, each with a comment saying what it does', () => {
    for (const key of Object.keys(policySchema.properties).filter((k) => k !== 'policy')) {
      assert.match(text, new RegExp(`^# ${key}:`, 'm'), key);
    }
    for (const key of Object.keys(policySchema.properties.limits.properties)) assert.match(text, new RegExp(`^#   ${key}: \\d+$`, 'm'), key);
  });

  test('uncommented, every setting is at its default: the policy is the same', () => {
    const uncommented = text
      .split('\n')
      .map((line) => (SETTING_LINE.test(line) && !line.endsWith('# none by default') ? line.slice(2) : line))
      .join('\n');
    assert.notEqual(uncommented, text);
    const parsed = parsePolicy(uncommented);
    assert.deepEqual(parsed.findings, [], uncommented);
    assert.deepEqual(effective(parsed.policy), effective(DEFAULTS));
  });

  test('its prose stays within 100 characters a line', () => {
    for (const line of text.split('\n').filter((l) => !/^# {1,3}[A-Za-z-]+: /.test(l))) assert.ok(line.length <= 100, line);
  });
});
