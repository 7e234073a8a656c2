/** Whether `child` lies strictly inside `parent` (both absolute, as written: links are the caller's to resolve). */
import * as path from 'node:path';

export function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
