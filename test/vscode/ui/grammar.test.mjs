// The playbook grammar as VS Code colours it: this extension's grammars over the YAML grammar of
// the VS Code that the runner installed (code-server's built-in `yaml` extension), tokenized with
// the same TextMate engine and Oniguruma regular expressions VS Code uses. A `# playbook-ignore`
// is highlighted as a suppression only where YAML has a comment, never inside a string or script.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import vsctm from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';
import { CODE_SERVER_VERSION, CACHE, ROOT } from '../../../scripts/editor/prepare.mjs';

const YAML_SYNTAXES = path.join(CACHE, 'code-server', CODE_SERVER_VERSION, 'node_modules/code-server/lib/vscode/extensions/yaml/syntaxes');
const SUPPRESSION = 'keyword.other.suppression.incident-playbook';

/** Scope name → grammar file: the YAML extension's grammars and the ones package.json contributes. */
function grammarFiles() {
  const files = new Map();
  for (const name of readdirSync(YAML_SYNTAXES)) {
    const file = path.join(YAML_SYNTAXES, name);
    files.set(JSON.parse(readFileSync(file, 'utf8')).scopeName, file);
  }
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  for (const g of manifest.contributes.grammars) files.set(g.scopeName, path.join(ROOT, g.path));
  return { files, injections: manifest.contributes.grammars.filter((g) => g.injectTo) };
}

async function playbookGrammar() {
  const wasm = readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const { files, injections } = grammarFiles();
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => (files.has(scope) ? vsctm.parseRawGrammar(readFileSync(files.get(scope), 'utf8'), files.get(scope)) : null),
    getInjections: (scope) => injections.filter((g) => g.injectTo.includes(scope)).map((g) => g.scopeName),
  });
  return registry.loadGrammar('source.incident-playbook');
}

/** Each line's text covered by a token with `scope`. */
function textsWithScope(grammar, text, scope) {
  const out = [];
  let state = vsctm.INITIAL;
  for (const line of text.split('\n')) {
    const { tokens, ruleStack } = grammar.tokenizeLine(line, state);
    state = ruleStack;
    for (const t of tokens) if (t.scopes.includes(scope)) out.push(line.slice(t.startIndex, t.endIndex));
  }
  return out;
}

describe('the playbook grammar in VS Code', () => {
  test('a suppression is highlighted in a YAML comment only, not inside a script or a string', async () => {
    const grammar = await playbookGrammar();
    assert.ok(grammar, 'the grammar loads over the YAML grammar');
    const text = [
      'steps:',
      '  # playbook-ignore PB100: lab only',
      '  - id: roll-back  # playbook-ignore PB102: told by phone',
      '    action: run',
      '    command: |',
      '      echo done',
      '      # playbook-ignore PB105: inside the script',
      '    notes: "a # playbook-ignore PB105: inside a string"',
    ].join('\n');
    assert.deepEqual(textsWithScope(grammar, text, SUPPRESSION), ['playbook-ignore', 'playbook-ignore']);
    assert.ok(textsWithScope(grammar, text, 'comment.line.number-sign.yaml').some((t) => t.includes('lab only')), 'YAML itself is still highlighted');
    assert.deepEqual(textsWithScope(grammar, text, 'comment.line.number-sign.yaml').filter((t) => t.includes('inside')), [], 'script and string lines are not comments');
  });
});
