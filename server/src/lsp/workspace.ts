/**
 * The server's view of the workspace: for each playbook, the nearest policy and the advisories it
 * names (plus the user's extra advisory paths), loaded once and reloaded only when a file under
 * `.playbooks/` changes — and then only the changed advisory files are parsed again.
 */
import * as path from 'node:path';
import { withRuleOverrides } from '../core/policy/parsePolicy.js';
import { AdvisoryStore } from '../node/advisoryStore.js';
import { CheckEnvironment, type Environment } from '../node/checkEnvironment.js';
import { DEFAULT_SETTINGS, type PlaybookSettings } from '../shared/protocol.js';

export class Workspace {
  private readonly store = new AdvisoryStore();
  private environments = new Map<string, CheckEnvironment>();
  private settings: PlaybookSettings = DEFAULT_SETTINGS;
  /** Bumped on every invalidation, so cached analyses know they are out of date. */
  generation = 0;

  constructor(private roots: string[]) {}

  setRoots(roots: string[]): void {
    this.roots = roots;
    this.invalidate();
  }

  setSettings(settings: PlaybookSettings): void {
    this.settings = settings;
    this.invalidate();
  }

  invalidate(): void {
    this.environments = new Map();
    this.generation++;
  }

  /** The workspace folder holding the file, else the file's own folder. */
  rootFor(file: string): string {
    const inside = this.roots.filter((r) => file === r || file.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
    return inside.sort((a, b) => b.length - a.length)[0] ?? path.dirname(file);
  }

  allRoots(): string[] {
    return [...this.roots];
  }

  async environmentFor(file: string): Promise<Environment> {
    const root = this.rootFor(file);
    let environment = this.environments.get(root);
    if (!environment) {
      const extra = this.settings.advisoryPaths.map((p) => ({ entry: p, path: path.resolve(root, p) }));
      environment = new CheckEnvironment(root, undefined, this.store, extra);
      this.environments.set(root, environment);
    }
    const found = await environment.forPlaybook(file);
    const rules = this.settings.rules;
    return Object.keys(rules).length ? { ...found, loaded: { ...found.loaded, policy: withRuleOverrides(found.loaded.policy, rules) } } : found;
  }

  /** Every environment loaded so far, for the status bar and the policy's own diagnostics. */
  async loadedEnvironments(): Promise<Environment[]> {
    return (await Promise.all([...this.environments.values()].map((e) => e.used()))).flat();
  }
}
