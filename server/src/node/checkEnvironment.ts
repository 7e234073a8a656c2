/**
 * What a playbook is checked with: the nearest policy and the advisories it names. Each policy
 * and each advisory set is loaded once and shared by every playbook under it.
 */
import type { AdvisorySnapshot } from '../core/advisories/snapshot.js';
import { advisorySources } from './advisorySources.js';
import { AdvisoryStore, type SourceRef } from './advisoryStore.js';
import { PolicyCache, type LoadedPolicy } from './policyFiles.js';

export interface Environment {
  loaded: LoadedPolicy;
  advisories: AdvisorySnapshot;
}

export class CheckEnvironment {
  private readonly policies: PolicyCache;
  private readonly environments = new Map<string, Promise<Environment>>();

  constructor(private readonly rootDir: string, explicitPolicyFile?: string, private readonly store = new AdvisoryStore(), private readonly extraSources: readonly SourceRef[] = []) {
    this.policies = new PolicyCache(rootDir, explicitPolicyFile);
  }

  async forPlaybook(playbookPath: string): Promise<Environment> {
    const loaded = await this.policies.forPlaybook(playbookPath);
    const key = loaded.file ?? '';
    let environment = this.environments.get(key);
    if (!environment) {
      const sources = [...advisorySources(loaded.policy, loaded.file, this.rootDir), ...this.extraSources];
      environment = this.store.load(sources, loaded.policy.limits).then((advisories) => ({ loaded, advisories }));
      this.environments.set(key, environment);
    }
    return environment;
  }

  /** Every environment used so far, to report the policy's own findings once. */
  async used(): Promise<Environment[]> {
    return Promise.all(this.environments.values());
  }
}
