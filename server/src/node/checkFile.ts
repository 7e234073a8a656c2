/**
 * One playbook file from disk to findings: read (size-limited), decode, check. The one place the
 * CLI, Check Workspace and the check workers do it, so their answers cannot drift apart. Never
 * throws: a file that cannot be read, or whose check fails, comes back with the reason in words.
 */
import { type AdvisorySnapshot, type BaselineEntry, checkParsed, type SuppressedFinding, effectiveLimits, decodeBytes, parsePlaybook, sizeLimitFinding, type Policy, type Finding } from '../core/index.js';
import { readFileSafely, readFileSafelySync } from './readFile.js';
import { releaseDataFor, type ReleaseContext } from './releaseFiles.js';

/** What a playbook is checked with: its policy, the advisories, and (when known) the SBOM and VEX files. */
export interface CheckInputs {
  policy: Policy;
  advisories: AdvisorySnapshot;
  releases?: ReleaseContext;
  /** The baseline's entries for this file: its findings then carry their keys, and those listed are marked (`CheckOptions.baseline`). */
  baseline?: readonly BaselineEntry[];
}

export type FileCheck = CheckedFile | UncheckedFile;

export interface CheckedFile {
  file: string;
  /** The decoded text the offsets refer to ('' when the file was refused before decoding). */
  text: string;
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

interface UncheckedFile {
  file: string;
  /** Why there are no findings: the file could not be read, or its check failed. */
  error: string;
}

/**
 * `blocking` reads the file synchronously: a worker or the CLI has nothing else to do meanwhile, and
 * one blocking read costs a fraction of the four thread-pool round trips of an asynchronous one.
 * The server's own thread reads asynchronously, so it keeps answering while a file is read.
 */
export async function checkFile(file: string, { policy, advisories, releases: releaseContext, baseline }: CheckInputs, blocking = false): Promise<FileCheck> {
  try {
    const limits = effectiveLimits(policy.limits);
    const read = blocking ? readFileSafelySync(file, limits.maxDocumentLength) : await readFileSafely(file, limits.maxDocumentLength);
    if ('error' in read) return { file, error: read.error };
    if (read.size > limits.maxDocumentLength) return { file, text: '', findings: [sizeLimitFinding(read.size, limits)], suppressed: [] };
    const decoded = decodeBytes(read.bytes);
    if ('finding' in decoded) return { file, text: '', findings: [decoded.finding], suppressed: [] };
    const parsed = parsePlaybook(decoded.text, limits);
    // The SBOMs this playbook names are read (or taken from the cache) once it is parsed: which ones depends on its text.
    const releases = releaseContext ? await releaseDataFor(file, parsed, policy, releaseContext) : undefined;
    // The time of the check: advisories older than the policy's advisories-max-age are PB110.
    const { findings, suppressed } = checkParsed(parsed, { policy, advisories, now: new Date(), ...(releases ? { releases } : {}), ...(baseline ? { baseline } : {}) });
    return { file, text: decoded.text, findings, suppressed };
  } catch (error) {
    return { file, error: checkFailure(error) };
  }
}

/** A bug in a check, said in one line (no stack), so the run goes on with the other files. */
export function checkFailure(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `could not be checked (internal error: ${detail.split('\n')[0]}); please report this with the file`;
}
