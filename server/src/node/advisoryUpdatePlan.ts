/**
 * What an update fetches, from where, and where it writes — the same answer for the CLI and the
 * editor: the policy that governs the root (or the one given), its mirror unless one is given, its
 * `advisories-update-dir` (kept inside the folder that holds `.playbooks/`), and the ecosystems
 * named or, by default, those of every service in the playbooks under the root.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ecosystemsOfPurls, parseEcosystemList, effectiveLimits, parsePlaybook, type Policy } from '../core/index.js';
import { advisorySources } from './advisorySources.js';
import { limitsOf, OSV_MIRROR, zipPath, type UpdatePlan } from './advisoryUpdate.js';
import { findPlaybooks } from './findPlaybooks.js';
import { PolicyCache } from './policyFiles.js';
import { readPlaybookText } from './readPlaybookText.js';
import { isInside } from './pathInside.js';

export interface UpdateRequest {
  /** The working directory (CLI) or workspace folder (editor): the policy that governs it, the playbooks under it. */
  rootDir: string;
  /** `--policy`: this policy instead of the one found. */
  policyFile?: string;
  /** `--mirror`: overrides the policy's `advisories-mirror`. */
  mirror?: string;
  /** `--ecosystems`, as written (`npm,PyPI`): overrides the services' ecosystems. */
  ecosystems?: string;
}

export interface PreparedUpdate {
  plan: UpdatePlan;
  policyFile?: string;
  mirrorFrom: 'option' | 'policy' | 'default';
  /** Things to know that change nothing (a service with no public ecosystem, a folder the policy does not load). */
  notes: string[];
  /** Playbooks that could not be read, so their services may be missing: the update cannot count as a full success. */
  failures: string[];
}

/** `usage`: the request itself is wrong (an option's value); otherwise what it names is. */
export type UpdateProblem = { problem: string; usage: boolean };

export async function prepareUpdate(request: UpdateRequest): Promise<PreparedUpdate | UpdateProblem> {
  const mirrorOption = request.mirror === undefined ? undefined : mirrorUrl(request.mirror);
  if (mirrorOption && 'problem' in mirrorOption) return { problem: `--mirror ${request.mirror}: ${mirrorOption.problem}`, usage: true };
  const named = request.ecosystems === undefined ? undefined : parseEcosystemList(request.ecosystems);
  if (named && 'problem' in named) return { problem: `--ecosystems ${named.problem}`, usage: true };

  const loaded = await new PolicyCache(request.rootDir, request.policyFile).forFolder(request.rootDir);
  // A policy with errors falls back to the defaults: downloading from the public bucket into the default folder may be exactly what it forbids.
  if (loaded.file && !loaded.applied) return { problem: `the policy ${loaded.file} has errors (\`playbook check\` shows them), so its mirror and folder are not known; fix it first`, usage: false };
  const { policy } = loaded;

  const mirrorFrom = mirrorOption ? 'option' : policy.advisoriesMirror !== undefined ? 'policy' : 'default';
  const mirror = mirrorOption ?? mirrorUrl(policy.advisoriesMirror ?? OSV_MIRROR);
  if ('problem' in mirror) return { problem: `the policy's advisories-mirror ${policy.advisoriesMirror}: ${mirror.problem}`, usage: false };

  const dir = await updateDir(policy, loaded.file, request.rootDir);
  if ('problem' in dir) return { problem: dir.problem, usage: false };

  const notes: string[] = [];
  const failures: string[] = [];
  let ecosystems: string[];
  if (named) {
    ecosystems = named.ecosystems;
  } else {
    const found = await servicePurls(request.rootDir, policy);
    failures.push(...found.unreadable);
    const mapped = ecosystemsOfPurls(found.purls);
    notes.push(...mapped.notes);
    ecosystems = mapped.ecosystems;
    if (ecosystems.length === 0) {
      const why = found.purls.length ? 'no service in them has a package URL of a public ecosystem' : `no service has a package URL in the ${found.playbooks} playbook${found.playbooks === 1 ? '' : 's'} under ${request.rootDir}`;
      return { problem: `nothing to update: ${why}${mapped.notes.length ? ` (${mapped.notes.join('; ')})` : ''}; name the ecosystems with --ecosystems, e.g. --ecosystems npm,PyPI`, usage: false };
    }
  }

  // Read as they will be once the update has created its folder: on a first update it does not exist yet.
  const willExist = (p: string): boolean => existsSync(p) || p === dir.path || isInside(dir.path, p);
  const sources = advisorySources(policy, loaded.file, request.rootDir, willExist);
  const loads = (zip: string): boolean => sources.some((s) => zip === s.path || isInside(zip, s.path));
  if (!ecosystems.every((e) => loads(zipPath(dir.path, e)))) {
    notes.push(`the policy's \`advisories\` does not include ${dir.path}, so the zips written there are not loaded; add that folder to \`advisories\``);
  }
  return { plan: { dir: dir.path, mirror, ecosystems, limits: limitsOf(policy.limits) }, ...(loaded.file ? { policyFile: loaded.file } : {}), mirrorFrom, notes, failures };
}

/** An http(s) base URL; a query or fragment has no place in `<mirror>/<Ecosystem>/all.zip`. */
function mirrorUrl(text: string): URL | { problem: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'is not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: `is a ${url.protocol} URL; the mirror must be http:// or https://` };
  if (url.search || url.hash || text.includes('?') || text.includes('#')) return { problem: 'is a base URL: it takes no ?query or #fragment' };
  return url;
}

/**
 * `<policy dir>/advisories/osv` by default (`.playbooks/advisories/osv`, which the default source
 * covers), or the policy's folder relative to the policy file. Either stays inside the folder that
 * holds `.playbooks/` (the policy's own folder otherwise), as written and on disk: a policy cannot
 * send files elsewhere, neither with `..` nor through a link in the repository.
 */
async function updateDir(policy: Policy, policyFile: string | undefined, rootDir: string): Promise<{ path: string } | { problem: string }> {
  const policyDir = policyFile ? path.dirname(policyFile) : path.join(rootDir, '.playbooks');
  const home = path.basename(policyDir) === '.playbooks' ? path.dirname(policyDir) : policyDir;
  const written = policy.advisoriesUpdateDir;
  const dir = written === undefined ? path.join(policyDir, 'advisories', 'osv') : path.resolve(policyDir, written);
  const what = written === undefined ? `the update folder ${dir}` : `the policy's advisories-update-dir \`${written}\``;
  if (dir !== home && !isInside(dir, home)) return { problem: `${what} leads outside ${home}; the update writes only inside the folder that holds the policy` };
  const [realHome, realDir] = await Promise.all([fs.realpath(home).catch(() => home), realPathOfExisting(dir)]);
  if (realDir !== realHome && !isInside(realDir, realHome)) return { problem: `${what} leads outside ${home} through a link (to ${realDir}); the update writes only inside the folder that holds the policy` };
  return { path: dir };
}

/** The real path of `file`, or of its nearest folder that exists with the rest appended (the update creates the rest). */
async function realPathOfExisting(file: string): Promise<string> {
  const rest: string[] = [];
  for (let at = file; ; at = path.dirname(at)) {
    const real = await fs.realpath(at).catch(() => undefined);
    if (real !== undefined) return path.join(real, ...rest.reverse());
    if (path.dirname(at) === at) return file;
    rest.push(path.basename(at));
  }
}


/** Every service package URL in the playbooks under `rootDir`, and the playbooks that could not be read. */
async function servicePurls(rootDir: string, policy: Policy): Promise<{ purls: string[]; playbooks: number; unreadable: string[] }> {
  const { files, problems } = await findPlaybooks([rootDir], rootDir);
  const shown = (file: string): string => path.relative(rootDir, file) || file;
  const unreadable = problems.filter((p) => !p.nothingFound).map((p) => `${shown(p.argument)}: ${p.reason}; its services are not counted`);
  const limits = effectiveLimits(policy.limits);
  const purls: string[] = [];
  for (const file of files) {
    const read = await readPlaybookText(file, policy);
    if ('problem' in read) {
      unreadable.push(`${shown(file)}: ${read.problem}; its services are not counted`);
      continue;
    }
    for (const service of parsePlaybook(read.text, limits).model.services.values()) if (service.purl !== undefined) purls.push(service.purl);
  }
  return { purls, playbooks: files.length, unreadable };
}
