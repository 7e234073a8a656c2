/**
 * The `playbook-ignore` highlighting's own pattern, run by Oniguruma as VS Code runs it: which part
 * of a suppression comment is the keyword, the rule ids, `until` and the day. (That it applies to
 * YAML comments only, never to scripts or strings, is the editor suite's grammar test.)
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';

const INJECTION = path.join(__dirname, '../../syntaxes/playbook-ignore.injection.json');

interface Pattern {
  match: string;
  captures: Record<string, { name: string }>;
}

let loaded: Promise<void> | undefined;

async function scanner(): Promise<{ scopesOf(line: string): Record<string, string> }> {
  const wasm = readFileSync(path.join(path.dirname(createRequire(__filename).resolve('vscode-oniguruma')), 'onig.wasm'));
  await (loaded ??= oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)));
  const [pattern] = (JSON.parse(readFileSync(INJECTION, 'utf8')) as { patterns: Pattern[] }).patterns;
  const onig = new oniguruma.OnigScanner([pattern!.match]);
  return {
    /** Scope name → the text its capture covers (empty captures left out). */
    scopesOf(line) {
      const text = new oniguruma.OnigString(line);
      const match = onig.findNextMatchSync(text, 0);
      text.dispose();
      const out: Record<string, string> = {};
      for (const [index, { name }] of Object.entries(pattern!.captures)) {
        const capture = match?.captureIndices[Number(index)];
        if (capture && capture.end > capture.start) out[name] = line.slice(capture.start, capture.end);
      }
      return out;
    },
  };
}

const KEYWORD = 'keyword.other.suppression.incident-playbook';
const IDS = 'constant.other.rule-id.incident-playbook';
const UNTIL = 'keyword.other.suppression-until.incident-playbook';
const DAY = 'constant.numeric.date.incident-playbook';

describe('the playbook-ignore highlighting pattern', () => {
  test('keyword and rule ids, as before', async () => {
    const { scopesOf } = await scanner();
    assert.deepEqual(scopesOf('# playbook-ignore PB100: lab only'), { [KEYWORD]: 'playbook-ignore', [IDS]: ' PB100' });
    assert.deepEqual(scopesOf('# playbook-ignore PB100, PB102: told by phone'), { [KEYWORD]: 'playbook-ignore', [IDS]: ' PB100, PB102' });
    assert.deepEqual(scopesOf('# playbook-ignore PB108'), { [KEYWORD]: 'playbook-ignore', [IDS]: ' PB108' });
  });

  test('`until` and its day are coloured apart from the ids, the reason is not', async () => {
    const { scopesOf } = await scanner();
    assert.deepEqual(scopesOf('# playbook-ignore PB105 until 2027-03-01: the mirror is replaced in February'), { [KEYWORD]: 'playbook-ignore', [IDS]: ' PB105', [UNTIL]: 'until', [DAY]: '2027-03-01' });
    assert.deepEqual(scopesOf('# playbook-ignore PB100, PB105 until 2027-03-01'), { [KEYWORD]: 'playbook-ignore', [IDS]: ' PB100, PB105', [UNTIL]: 'until', [DAY]: '2027-03-01' });
    assert.deepEqual(scopesOf('# playbook-ignore PB105 until soon: x'), { [KEYWORD]: 'playbook-ignore', [IDS]: ' PB105', [UNTIL]: 'until', [DAY]: 'soon' }, 'a wrong day is highlighted as the day (PB109 says what is wrong)');
    assert.deepEqual(scopesOf('# playbook-ignore PB105: kept until 2027-03-01 by CHG-1'), { [KEYWORD]: 'playbook-ignore', [IDS]: ' PB105' }, '`until` inside the reason is the reason');
  });
});
