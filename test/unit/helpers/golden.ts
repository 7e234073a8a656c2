/**
 * Golden files: output compared byte for byte with a file kept in the repository. `UPDATE_GOLDEN=1`
 * writes the files instead (read every changed one by eye before committing).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Asserts `actual` equals the golden file `name` in `folder`. */
export function goldenIn(folder: string): (name: string, actual: string) => void {
  return (name, actual) => {
    const file = path.join(folder, name);
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(file, actual);
    }
    assert.ok(existsSync(file), `golden ${name} exists (run with UPDATE_GOLDEN=1 to create it)`);
    assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from the golden file`);
  };
}
