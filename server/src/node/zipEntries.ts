/**
 * Reads the `*.json` entries of a zip (OSV's `all.zip` layout) without trusting it: an entry whose
 * declared size is over the limit is skipped unread, and one that inflates past the limit anyway
 * (a lying header) is cut off as its stream goes, so a zip bomb costs at most about
 * `maxEntryBytes` of memory and is reported once.
 */
import yauzl, { type Entry, type ZipFile } from 'yauzl';

export interface ZipLimits {
  maxEntryBytes: number;
  maxEntries: number;
}

export interface ZipEntryResult {
  name: string;
  text?: string;
  problem?: string;
}

export async function readZipJsonEntries(file: string, limits: ZipLimits): Promise<{ entries: ZipEntryResult[]; problem?: string }> {
  let zip: ZipFile;
  try {
    zip = await openZip(file);
  } catch (e) {
    return { entries: [], problem: `it cannot be read as a zip (${messageOf(e)})` };
  }
  const entries: ZipEntryResult[] = [];
  let seen = 0;
  try {
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      if (!entry.fileName.toLowerCase().endsWith('.json') || entry.fileName.endsWith('/')) continue;
      if (++seen > limits.maxEntries) {
        return { entries, problem: `it holds more than ${limits.maxEntries} JSON entries (the limit maxZipEntries); the rest were not read` };
      }
      if (entry.uncompressedSize > limits.maxEntryBytes) {
        entries.push({ name: entry.fileName, problem: tooLarge(entry.uncompressedSize, limits.maxEntryBytes) });
        continue;
      }
      entries.push(await readEntry(zip, entry, limits.maxEntryBytes));
    }
  } catch (e) {
    return { entries, problem: `it is not a readable zip past ${entries.length} entries (${messageOf(e)})` };
  } finally {
    zip.close();
  }
  return { entries };
}

function openZip(file: string): Promise<ZipFile> {
  // validateEntrySizes: a stream that inflates to more than its header says is an error, not data.
  return new Promise((resolve, reject) => yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true }, (err, zip) => (err ? reject(err) : resolve(zip))));
}

function nextEntry(zip: ZipFile): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      zip.removeListener('entry', onEntry);
      zip.removeListener('end', onEnd);
      zip.removeListener('error', onError);
    };
    const onEntry = (entry: Entry): void => { cleanup(); resolve(entry); };
    const onEnd = (): void => { cleanup(); resolve(undefined); };
    const onError = (err: Error): void => { cleanup(); reject(err); };
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

function readEntry(zip: ZipFile, entry: Entry, maxBytes: number): Promise<ZipEntryResult> {
  return new Promise((resolve) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) return resolve({ name: entry.fileName, problem: `cannot be inflated (${messageOf(err)})` });
      const chunks: Buffer[] = [];
      let total = 0;
      let done = false;
      const finish = (result: ZipEntryResult): void => {
        if (done) return;
        done = true;
        resolve(result);
      };
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) {
          stream.destroy();
          finish({ name: entry.fileName, problem: tooLarge(total, maxBytes, 'inflates to more than') });
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (e) => finish({ name: entry.fileName, problem: /too many bytes/i.test(messageOf(e)) ? 'inflates to more than its header declares (a damaged or hostile zip)' : `cannot be inflated (${messageOf(e)})` }));
      stream.on('end', () => finish({ name: entry.fileName, text: Buffer.concat(chunks).toString('utf8') }));
    });
  });
}

function tooLarge(bytes: number, max: number, verb = 'is'): string {
  return `${verb} ${(bytes / 1024 / 1024).toFixed(1)} MB, over the ${(max / 1024 / 1024).toFixed(0)} MB limit for one record (maxRecordBytes)`;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
