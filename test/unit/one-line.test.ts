/** File names printed inside one line of text output: every character that could break or disguise the line is escaped. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneLine } from '../../server/src/core/util/oneLine.js';

test('line breaks, controls, C1 controls, line separators and bidi controls are escaped; the rest is kept', () => {
  const cases: [string, string][] = [
    ['a\nb.playbook.yaml', 'a\\nb.playbook.yaml'],
    ['a\r\nb', 'a\\r\\nb'],
    ['tab\there', 'tab\\there'],
    ['esc\u001b[31mred', 'esc\\u001b[31mred'],
    ['nul\u0000', 'nul\\u0000'],
    ['del\u007f', 'del\\u007f'],
    ['c1\u0085next-line', 'c1\\u0085next-line'],
    ['ls\u2028ps\u2029', 'ls\\u2028ps\\u2029'],
    ['evil\u202egnp.yaml', 'evil\\u202egnp.yaml'],
    ['iso\u2066late\u2069', 'iso\\u2066late\\u2069'],
    ['mark\u200e\u200f\u061c', 'mark\\u200e\\u200f\\u061c'],
    ['plain/путь/名前 ok.playbook.yaml', 'plain/путь/名前 ok.playbook.yaml'],
    ['C:\\work\\a.playbook.yaml', 'C:\\work\\a.playbook.yaml'],
  ];
  for (const [name, shown] of cases) assert.equal(oneLine(name), shown, JSON.stringify(name));
  for (let c = 0; c < 0x10000; c++) {
    const shown = oneLine(String.fromCharCode(c));
    assert.doesNotMatch(shown, /[\n\r\u2028\u2029\u0085]/, `U+${c.toString(16)} stays on the line`);
  }
});
