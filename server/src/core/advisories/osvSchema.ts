/**
 * A compact JSON Schema for the OSV fields advisory matching relies on (after the OSV schema,
 * https://ossf.github.io/osv-schema/). Other fields pass through unchecked. Range `type` is only
 * required to be a string here: an unknown type spoils that range, not the record, so the
 * parser checks it range by range.
 */
const stringArray = { type: 'array', items: { type: 'string' } } as const;

const event = {
  type: 'object',
  properties: {
    introduced: { type: 'string' },
    fixed: { type: 'string' },
    last_affected: { type: 'string' },
    limit: { type: 'string' },
  },
} as const;

const range = {
  type: 'object',
  required: ['type', 'events'],
  properties: {
    type: { type: 'string' },
    repo: { type: 'string' },
    events: { type: 'array', minItems: 1, items: event },
  },
} as const;

// `package` may be absent in OSV (records about a repository only); such entries are skipped later.
const affected = {
  type: 'object',
  properties: {
    package: {
      type: 'object',
      required: ['ecosystem', 'name'],
      properties: {
        ecosystem: { type: 'string', minLength: 1 },
        name: { type: 'string', minLength: 1 },
        purl: { type: 'string' },
      },
    },
    ranges: { type: 'array', items: range },
    versions: stringArray,
    database_specific: { type: 'object' },
    ecosystem_specific: { type: 'object' },
  },
} as const;

export const OSV_RECORD_SCHEMA = {
  type: 'object',
  required: ['id', 'modified', 'affected'],
  properties: {
    schema_version: { type: 'string' },
    id: { type: 'string', minLength: 1 },
    modified: { type: 'string' },
    published: { type: 'string' },
    withdrawn: { type: 'string' },
    aliases: stringArray,
    summary: { type: 'string' },
    details: { type: 'string' },
    severity: {
      type: 'array',
      items: { type: 'object', required: ['type', 'score'], properties: { type: { type: 'string' }, score: { type: 'string' } } },
    },
    affected: { type: 'array', minItems: 1, items: affected },
    database_specific: { type: 'object' },
  },
} as const;
