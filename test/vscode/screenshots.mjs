// Screenshots of the UI tests: each test's under test-results/editor-ui/, also when it fails (then it shows why).
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../scripts/editor/prepare.mjs';

const SHOTS = path.join(ROOT, 'test-results', 'editor-ui');

/** Saves the page as test-results/editor-ui/NAME.png; returns the file. */
export async function screenshot(page, name) {
  await dismissThemePrompt(page);
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** `uiTest(name, slug, fn)`: a test that ends with a screenshot named `slug` of the page `page()` gives, also when it fails. */
export function screenshotTests(page) {
  return (name, slug, fn) =>
    test(name, async () => {
      try {
        await fn();
      } finally {
        await screenshot(page(), slug).catch(() => undefined);
      }
    });
}

/**
 * VS Code's own "try the new default theme" prompt, which this code-server shows whatever theme is
 * set, answered "Cancel" so that it does not cover what a screenshot is of. No other toast is touched.
 * Not while a quick input (the command palette, a question) is open: a click on the toast would close
 * it under the test, and the toast does not cover it.
 */
async function dismissThemePrompt(page) {
  const prompt = page.locator('.notification-toast', { hasText: /new default theme/ });
  if ((await prompt.count().catch(() => 0)) === 0) return;
  if (await page.locator('.quick-input-widget').isVisible().catch(() => false)) return;
  await prompt.first().getByRole('button', { name: 'Cancel' }).click({ timeout: 2000 }).catch(() => undefined);
  await prompt.first().waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
}
