/** See codeHash.mjs: the hash of every file the entry points bundle, for PLAYBOOK_CODE_HASH. */
export function codeHash(entryPoints: string[], options: object): Promise<string>;
