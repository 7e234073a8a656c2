/**
 * The SBOM and VEX files a check needs (spec sections 8 and 9), read from disk under the policy's
 * limits and parsed by the core: the SBOMs a playbook names (relative to the playbook), and the
 * SBOMs and VEX documents in the policy's `sboms` and `vex` folders (walked as playbook folders
 * are: every `*.json`, links followed inside the folder, what cannot be read reported).
 *
 * Each file is read and parsed once per cache; the language server drops the cache when a file
 * changes, so a keystroke never reads an SBOM again. A file over `maxSbomBytes` is refused before
 * it is read.
 */
import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { namedSbomPaths, parseSbom, parseSbomHead, parseVex, type ParsedPlaybook, type Policy, type ReleaseData, type ReleaseFileProblem, type SbomEntry, type VexDocument, type ComponentMatchMemo } from '../core/index.js';
import { advisoryCacheDir } from './advisoryCacheDir.js';
import { sizeText } from './advisoryDownload.js';
import { Seen, walkFolder } from './folderWalk.js';
import { readFileSafely } from './readFile.js';
import { cachedSbom, fileIdentity, type SbomParse } from './sbomCache.js';
import { isInside } from './pathInside.js';
import { policyPaths } from './policyPaths.js';

const DEFAULT_MAX_SBOM_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_SBOM_COMPONENTS = 200_000;

/** How much of a found SBOM is read to learn which release it is: generators write `metadata` first, in a few KB. */
const HEAD_BYTES = 64 * 1024;

/** What the checks under one policy share: its folders as read, the cache of files, and the root named SBOMs must lie in. */
export interface ReleaseContext {
  folders: ReleaseFolders;
  cache: ReleaseFileCache;
  rootDir: string;
  /**
   * Set when the folders' SBOMs were read by their heads alone (the editor): reads the rest of
   * them, after which the environment is replaced by one with every found SBOM whole.
   */
  readRest?: () => Promise<void>;
}

/** The SBOMs a check reads before it starts: the named ones by the path the playbook writes, the found ones by file. */
export interface SbomsToRead {
  named: readonly string[];
  found: readonly string[];
}

/** The policy's folders, read: SBOMs found (parsed or not) and VEX documents, with the problems of both. */
export interface ReleaseFolders {
  /** The folders walked (absolute), so a file added to one later is known to matter. */
  paths: string[];
  /** Whole, or (read by heads) with only the head of each: the problems of those are said once the rest is read. */
  found: SbomEntry[];
  vex: VexDocument[];
  problems: ReleaseFileProblem[];
}

interface Limits {
  maxBytes: number;
  maxComponents: number;
}

function limitsOf(policy: Policy): Limits {
  return { maxBytes: policy.limits.maxSbomBytes ?? DEFAULT_MAX_SBOM_BYTES, maxComponents: policy.limits.maxSbomComponents ?? DEFAULT_MAX_SBOM_COMPONENTS };
}

const tooLarge = (size: number, maxBytes: number): string => `it is ${sizeText(size)}, over the ${sizeText(maxBytes)} limit for an SBOM or VEX document (limits.maxSbomBytes); not read`;

/**
 * One file's bytes, or why it cannot be used. `prefix`: only its first bytes, when the file holds
 * more; `whole` says which.
 */
async function readBytes(file: string, maxBytes: number, prefix?: number): Promise<{ bytes: Uint8Array; whole: boolean; stat: Stats } | { problem: string }> {
  // Refused by its size before anything is read: a 100 MB SBOM costs a stat, not 64 MB of reading.
  const stat = await fs.stat(file).catch(() => undefined);
  if (stat?.isFile() && stat.size > maxBytes) return { problem: tooLarge(stat.size, maxBytes) };
  const read = await readFileSafely(file, prefix ?? maxBytes);
  if ('error' in read) return { problem: `cannot be read (${read.error})` };
  const whole = read.bytes.length === read.size;
  if (whole && read.size > maxBytes) return { problem: tooLarge(read.size, maxBytes) };
  return { bytes: read.bytes, whole, stat: read.stat };
}

/** Bytes as UTF-8 text; of a prefix, a multi-byte character cut at the end is left out. */
function decodeText(bytes: Uint8Array, whole: boolean): { text: string } | { problem: string } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !whole }) };
  } catch {
    return { problem: 'is not UTF-8 text' };
  }
}

async function readText(file: string, maxBytes: number, prefix?: number): Promise<{ text: string; whole: boolean } | { problem: string }> {
  const read = await readBytes(file, maxBytes, prefix);
  if ('problem' in read) return read;
  const decoded = decodeText(read.bytes, read.whole);
  return 'problem' in decoded ? decoded : { text: decoded.text, whole: read.whole };
}

/**
 * When a read no check waits for may start (the editor's: a pause in typing). An SBOM read in the
 * background costs a few milliseconds of the one thread that answers keystrokes.
 */
export type BackgroundPace = () => Promise<void>;

/** Reads and parses SBOM and VEX files, each once, under one policy's limits. */
export class ReleaseFileCache {
  /**
   * `cacheDir`: where parsed SBOMs are kept between processes (the advisory cache's folder);
   * undefined: nowhere. `pace`: what a background read waits for first; a check that then needs
   * the same SBOM does not wait for it.
   */
  constructor(private readonly cacheDir: string | undefined = advisoryCacheDir(), private readonly pace?: BackgroundPace) {}

  /** Background reads waiting for their pace, by key: a check that needs one starts it at once. */
  private readonly waiting = new Map<string, () => void>();

  /** How the whole SBOMs read so far were served, for tests and benchmarks. */
  readonly sbomReads = { parsed: 0, fromCache: 0 };

  private readonly sboms = new Map<string, Promise<SbomEntry>>();
  /** The SBOMs read so far, for a check that must not wait (the editor's, on each keystroke). */
  private readonly settled = new Map<string, SbomEntry>();
  private readonly heads = new Map<string, Promise<SbomEntry>>();
  private readonly vex = new Map<string, Promise<{ document?: VexDocument; problems: ReleaseFileProblem[] }>>();

  /** An SBOM a playbook names: refused when it leads outside `root` (as written or on disk), else read once. */
  namedSbom(file: string, root: string, limits: Limits, background = false): Promise<SbomEntry> {
    return this.once(`${file}\0${root}\0${limits.maxBytes}\0${limits.maxComponents}`, () => this.readNamed(file, root, limits), background);
  }

  private once(key: string, read: () => Promise<SbomEntry>, background: boolean): Promise<SbomEntry> {
    let entry = this.sboms.get(key);
    if (entry) {
      if (!background) this.waiting.get(key)?.();
      return entry;
    }
    if (background && this.pace) {
      let now!: () => void;
      const needed = new Promise<void>((resolve) => (now = resolve));
      this.waiting.set(key, now);
      entry = Promise.race([this.pace(), needed]).then(() => {
        this.waiting.delete(key);
        return read();
      });
    } else {
      entry = read();
    }
    this.sboms.set(key, entry);
    void entry.then((done) => this.settled.set(key, done));
    return entry;
  }

  /**
   * The release data last handed out for these folders, when its named SBOMs are these very
   * entries (and the same are pending) and its found ones too (each whole one read since in place
   * of its head); else this new one, kept.
   */
  private readonly lastData = new WeakMap<ReleaseFolders, ReleaseData[]>();
  sameData(named: Map<string, SbomEntry>, pending: Set<string>, folders: ReleaseFolders, limits: Limits): ReleaseData {
    const found = folders.found.map((entry) => ('head' in entry ? (this.sbomNow(entry.file, limits) ?? entry) : entry));
    const kept = this.lastData.get(folders) ?? [];
    const samePending = (data: ReleaseData): boolean => (data.pending?.size ?? 0) === pending.size && [...pending].every((p) => data.pending?.has(p));
    const sameFound = (data: ReleaseData): boolean => data.found.every((entry, i) => entry === found[i]);
    const same = kept.find((data) => data.named.size === named.size && samePending(data) && sameFound(data) && [...named].every(([written, entry]) => data.named.get(written) === entry));
    if (same) return same;
    const data: ReleaseData = { named, ...(pending.size ? { pending } : {}), found, vex: folders.vex };
    // A few playbooks' worth: each open playbook names its own SBOMs.
    this.lastData.set(folders, [data, ...kept].slice(0, 16));
    return data;
  }

  /**
   * The folders as read before, when this reading found the very same files, entries and problems:
   * an environment loaded again (an advisory source that was missing is looked for again on each
   * request) then stays the same object, and the analyses made with it stay valid.
   */
  private readonly folderReads: ReleaseFolders[] = [];
  sameFolders(read: ReleaseFolders): ReleaseFolders {
    const same = (a: ReleaseFolders): boolean =>
      sameItems(a.paths, read.paths) && sameItems(a.found, read.found) && sameItems(a.vex, read.vex) && JSON.stringify(a.problems) === JSON.stringify(read.problems);
    const known = this.folderReads.find(same);
    if (known) return known;
    // A few policies' worth, each by heads and whole.
    this.folderReads.unshift(read);
    this.folderReads.length = Math.min(this.folderReads.length, 8);
    return read;
  }

  /** Whether the file was read (or asked for) through this cache. */
  hasRead(file: string): boolean {
    const prefix = `${file}\0`;
    for (const key of [...this.sboms.keys(), ...this.heads.keys(), ...this.vex.keys()]) if (key.startsWith(prefix)) return true;
    return false;
  }

  /** `namedSbom` when it has been read already; undefined when it must be read first. */
  namedSbomNow(file: string, root: string, limits: Limits): SbomEntry | undefined {
    return this.settled.get(`${file}\0${root}\0${limits.maxBytes}\0${limits.maxComponents}`);
  }

  sbom(file: string, limits: Limits, background = false): Promise<SbomEntry> {
    return this.once(`${file}\0\0${limits.maxBytes}\0${limits.maxComponents}`, () => this.readSbom(file, limits), background);
  }

  /** `sbom` when it has been read already; undefined when it must be read first. */
  sbomNow(file: string, limits: Limits): SbomEntry | undefined {
    return this.settled.get(`${file}\0\0${limits.maxBytes}\0${limits.maxComponents}`);
  }

  /**
   * A found SBOM by its head (which release it is), read from the first bytes of the file; the
   * whole of it when the head does not tell (see `parseSbomHead`), when the file is small, or when
   * it has been read whole already.
   */
  sbomHead(file: string, limits: Limits): Promise<SbomEntry> {
    const key = `${file}\0${limits.maxBytes}`;
    let entry = this.heads.get(key);
    if (!entry) this.heads.set(key, (entry = this.readHead(file, limits)));
    return entry;
  }

  private async readHead(file: string, limits: Limits): Promise<SbomEntry> {
    const whole = this.sbomNow(file, limits);
    if (whole) return whole;
    const read = await readText(file, limits.maxBytes, HEAD_BYTES);
    const head = 'text' in read && !read.whole ? parseSbomHead(read.text) : undefined;
    return head ? { file, head } : this.sbom(file, limits);
  }

  vexDocument(file: string, limits: Limits): Promise<{ document?: VexDocument; problems: ReleaseFileProblem[] }> {
    const key = `${file}\0${limits.maxBytes}`;
    let entry = this.vex.get(key);
    if (!entry) this.vex.set(key, (entry = this.readVex(file, limits)));
    return entry;
  }

  /**
   * A playbook in a pull request must not have any other file of the machine read, through `..`
   * or a link: a named SBOM lies inside the root, as written and on disk.
   */
  private async readNamed(file: string, root: string, limits: Limits): Promise<SbomEntry> {
    const realRoot = await fs.realpath(root).catch(() => root);
    // A file that does not exist (yet) is judged as written; the read then says it is missing.
    const real = await fs.realpath(file).catch(() => undefined);
    if (!isInside(file, root) || (real !== undefined && !isInside(real, realRoot))) {
      return { file, problem: `leads outside ${root}${real !== undefined && real !== file ? ` (to ${real})` : ''}; an SBOM is read only from inside the workspace` };
    }
    return this.readSbom(file, limits);
  }

  /** Parsed, or taken from the per-user cache when this very file (as it is on disk) was parsed before under these limits. */
  private async readSbom(file: string, limits: Limits): Promise<SbomEntry> {
    const sbomLimits = { maxComponents: limits.maxComponents, maxDepth: 64 };
    const stat = await fs.stat(file).catch(() => undefined);
    const kept = stat?.isFile() && stat.size <= limits.maxBytes ? cachedSbom(this.cacheDir, fileIdentity(stat), sbomLimits) : undefined;
    if (kept?.parsed) {
      this.sbomReads.fromCache++;
      return sbomEntry(file, kept.parsed, kept.keep(kept.parsed));
    }
    const read = await readBytes(file, limits.maxBytes);
    if ('problem' in read) return { file, problem: read.problem };
    const decoded = decodeText(read.bytes, true);
    const parsed = 'problem' in decoded ? decoded : parseSbom(decoded.text, sbomLimits);
    this.sbomReads.parsed++;
    // Kept under the identity of the file that was read (it may have changed since the first look).
    return sbomEntry(file, parsed, cachedSbom(this.cacheDir, fileIdentity(read.stat), sbomLimits).keep(parsed));
  }

  private async readVex(file: string, limits: Limits): Promise<{ document?: VexDocument; problems: ReleaseFileProblem[] }> {
    const read = await readText(file, limits.maxBytes);
    if ('problem' in read) return { problems: [{ setting: 'vex', file, message: read.problem, severity: 'warning' }] };
    const parsed = parseVex(read.text);
    if ('problem' in parsed) return { problems: [{ setting: 'vex', file, message: parsed.problem, severity: 'warning' }] };
    return { document: { file, statements: parsed.statements }, problems: parsed.problems.map((message) => ({ setting: 'vex' as const, file, message, severity: 'warning' as const })) };
  }
}

const sameItems = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((item, i) => item === b[i]);

function sbomEntry(file: string, parsed: SbomParse, matches: ComponentMatchMemo): SbomEntry {
  return 'problem' in parsed ? { file, problem: parsed.problem } : { file, sbom: parsed, matches };
}

/** Every `*.json` under the folders that exist (a folder that does not is no problem: it is the default until used). */
async function jsonFiles(setting: ReleaseFileProblem['setting'], folders: string[]): Promise<{ files: string[]; problems: ReleaseFileProblem[] }> {
  const files: string[] = [];
  const problems: ReleaseFileProblem[] = [];
  const seen = new Seen();
  for (const folder of folders) {
    const walk = await walkFolder(folder, { accept: (name) => /\.json$/i.test(name), maxDepth: Infinity, skipFolders: new Set(), within: [], seen });
    for (const problem of walk.problems) {
      if (problem.path === path.resolve(folder) && /no such file/.test(problem.reason)) continue;
      problems.push({ setting, file: problem.path, message: problem.reason, severity: 'warning' });
    }
    files.push(...walk.files.sort());
  }
  return { files, problems };
}

/**
 * The SBOMs and VEX documents of the policy's folders; `byHeads`: each SBOM by its head alone where
 * that tells which release it is; `background`: no check waits for this reading (the cache's pace).
 */
export async function readReleaseFolders(policy: Policy, policyFile: string | undefined, rootDir: string, cache: ReleaseFileCache, byHeads = false, background = false): Promise<ReleaseFolders> {
  const limits = limitsOf(policy);
  const paths = { sboms: policyPaths(policy.sboms, policyFile, rootDir), vex: policyPaths(policy.vex, policyFile, rootDir) };
  const [sbomFiles, vexFiles] = await Promise.all([jsonFiles('sboms', paths.sboms), jsonFiles('vex', paths.vex)]);
  // One file after another, as for named SBOMs: all of a folder's bytes and texts at once would make the peak.
  const found: SbomEntry[] = [];
  for (const file of sbomFiles.files) found.push(await (byHeads ? cache.sbomHead(file, limits) : cache.sbom(file, limits, background)));
  const problems = [...sbomFiles.problems, ...vexFiles.problems];
  for (const entry of found) {
    if ('problem' in entry) problems.push({ setting: 'sboms', file: entry.file, message: entry.problem, severity: 'warning' });
    else if ('sbom' in entry) {
      for (const message of entry.sbom.problems) problems.push({ setting: 'sboms', file: entry.file, message, severity: 'warning' });
      for (const message of entry.sbom.notes) problems.push({ setting: 'sboms', file: entry.file, message, severity: 'info' });
    }
  }
  const vex: VexDocument[] = [];
  for (const read of await Promise.all(vexFiles.files.map((file) => cache.vexDocument(file, limits)))) {
    if (read.document) vex.push(read.document);
    problems.push(...read.problems);
  }
  return cache.sameFolders({ paths: [...paths.sboms, ...paths.vex], found, vex, problems });
}

/** Whether a changed file matters to checks that used these folders and this cache: one of them read it, or it lies in a folder walked. */
export function isReleaseFile(file: string, folders: ReleaseFolders, cache: ReleaseFileCache): boolean {
  return cache.hasRead(file) || folders.paths.some((folder) => isInside(file, folder));
}

/**
 * What a check of one playbook needs: the SBOMs it names (read now, or from the cache) and the
 * policy's folders (those found by their heads read whole). `only`: read just these, the others
 * are left pending.
 */
export async function releaseDataFor(playbookFile: string, parsed: ParsedPlaybook, policy: Policy, context: ReleaseContext, only?: SbomsToRead, background = false): Promise<ReleaseData> {
  const limits = limitsOf(policy);
  const named = new Map<string, SbomEntry>();
  const pending = new Set<string>();
  // One file after another: twenty 2 MB SBOMs read at once would hold all their bytes and texts together.
  for (const [written, file] of namedFiles(playbookFile, parsed)) {
    if (only && !only.named.includes(written) && !context.cache.namedSbomNow(file, path.resolve(context.rootDir), limits)) pending.add(written);
    else named.set(written, await context.cache.namedSbom(file, path.resolve(context.rootDir), limits, background));
  }
  for (const entry of context.folders.found) {
    if ('head' in entry && (!only || only.found.includes(entry.file))) await context.cache.sbom(entry.file, limits, background);
  }
  return context.cache.sameData(named, pending, context.folders, limits);
}

/**
 * `releaseDataFor` without waiting, when every SBOM the playbook names has been read; undefined
 * otherwise. The same named files give the same object back, so the core's answers about each
 * release (kept per release data) last from one keystroke to the next.
 */
export function releaseDataNow(playbookFile: string, parsed: ParsedPlaybook, policy: Policy, context: ReleaseContext, required: SbomsToRead): ReleaseData | undefined {
  const limits = limitsOf(policy);
  const named = new Map<string, SbomEntry>();
  const pending = new Set<string>();
  for (const [written, file] of namedFiles(playbookFile, parsed)) {
    const entry = context.cache.namedSbomNow(file, path.resolve(context.rootDir), limits);
    if (entry) named.set(written, entry);
    else if (!required.named.includes(written)) pending.add(written);
    else return undefined;
  }
  if (required.found.some((file) => !context.cache.sbomNow(file, limits))) return undefined;
  return context.cache.sameData(named, pending, context.folders, limits);
}

/** Each SBOM path the playbook names, as written and resolved from the playbook's folder. */
function namedFiles(playbookFile: string, parsed: ParsedPlaybook): Array<[string, string]> {
  const dir = path.dirname(path.resolve(playbookFile));
  return namedSbomPaths(parsed.model.services.values()).map((written) => [written, path.resolve(dir, written)]);
}

