/** How every playbook text is parsed by `yaml`: the full parse and the incremental ones use the same, so both agree. */
export const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, keepSourceTokens: false, logLevel: 'error' } as const;
