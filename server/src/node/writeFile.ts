/** Writes a report file, creating its folder first (`--output reports/playbooks.sarif`). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export async function writeFileCreatingFolders(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text, 'utf8');
}
