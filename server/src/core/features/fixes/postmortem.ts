/** PB107: a `postmortem` step (`due: 48h`) appended at the end of `steps`, where every run that resolves reaches it. */
import { compact, quickFix, type FixProvider } from './fixContext.js';
import { insertStepAfter, uniqueStepId } from './steps.js';

const DEFAULT_POSTMORTEM_DUE = '48h';

export const postmortemFix: FixProvider = (finding, { text, steps }) => {
  if (!steps.length) return []; // no list to append to: PB002 asks for `steps` first
  const id = uniqueStepId('postmortem', steps);
  const edit = insertStepAfter(text, steps, steps.length - 1, [['id', id], ['action', 'postmortem'], ['due', DEFAULT_POSTMORTEM_DUE]]);
  return compact([quickFix(`Add a \`postmortem\` step at the end (due in ${DEFAULT_POSTMORTEM_DUE})`, finding, [edit], true)]);
};
