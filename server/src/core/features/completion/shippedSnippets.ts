/**
 * The snippets the extension ships (`snippets/playbook.snippets.json`, VS Code's snippet format),
 * offered by the language server where they fit rather than by the editor wherever their prefix
 * is typed: the `playbook` skeleton on an empty file only (first), the step snippets where a step
 * may start, after the security team's own. Inside a step, field completion offers neither.
 */
import shipped from '../../../../../snippets/playbook.snippets.json';
import type { SnippetDefinition } from './snippetItems.js';

interface SnippetFile {
  [name: string]: { prefix: string; body: string[]; description?: string };
}

const SKELETON_PREFIX = 'playbook';

const definitions: SnippetDefinition[] = Object.entries(shipped as SnippetFile).map(([name, { prefix, body, description }]) => ({
  name,
  prefix,
  body: body.join('\n'),
  ...(description !== undefined ? { description } : {}),
}));

/** The whole-playbook skeleton. */
export const SKELETON: SnippetDefinition = definitions.find((d) => d.prefix === SKELETON_PREFIX)!;

/** Snippets of one step or several. */
export const STEP_SNIPPETS: readonly SnippetDefinition[] = definitions.filter((d) => d.prefix !== SKELETON_PREFIX);
