/**
 * What the SBOM and VEX parsers share about CycloneDX JSON: which spec versions are read, where
 * components sit in the document, and the walk over them (nested `components` flattened).
 */
import { arrayField, asObject, objectField, type JsonObject, type JsonValue, type TextPosition } from './jsonTree.js';
import { quoted } from './readDocument.js';

/** The newest minor version known; later 1.x versions are read leniently, as this one. */
const NEWEST_MINOR = 6;

/**
 * A `specVersion` → a note when it is a later 1.x read leniently, or a problem when it is not read
 * at all. `oldestMinor`: 2 for SBOMs (spec section 8); 4 for VEX, the first with `vulnerabilities`.
 */
export function cycloneDxVersion(specVersion: unknown, oldestMinor: number): { note?: string } | { problem: string } {
  const supported = `CycloneDX JSON 1.${oldestMinor} to 1.${NEWEST_MINOR} is read`;
  if (typeof specVersion !== 'string') return { problem: `the CycloneDX document has no \`specVersion\`; ${supported}` };
  const minor = /^1\.(\d{1,4})$/.exec(specVersion)?.[1];
  if (minor === undefined || Number(minor) < oldestMinor) return { problem: `CycloneDX ${quoted(specVersion)} is not supported; ${supported}` };
  if (Number(minor) > NEWEST_MINOR) return { note: `CycloneDX ${specVersion} is newer than 1.${NEWEST_MINOR}; it was read as 1.${NEWEST_MINOR}` };
  return {};
}

/**
 * Whether the object at `path` is a component below the root: `components[i]`,
 * `metadata.component.components[i]` (the root's own parts), and any `components[j]` nested in one.
 */
export function isComponentPath(path: readonly (string | number)[]): boolean {
  let i = path[0] === 'metadata' && path[1] === 'component' ? 2 : 0;
  if (path.length - i < 2 || (path.length - i) % 2 !== 0) return false;
  for (; i < path.length; i += 2) {
    if (path[i] !== 'components' || typeof path[i + 1] !== 'number') return false;
  }
  return true;
}

export interface ComponentWalk {
  /** Every component object below the root, in document order (a component before its nested ones). */
  components: JsonObject[];
  /** Entries of a `components` array that are not objects. */
  notObjects: number;
}

/** The components below `metadata.component` and in `components`, nested ones flattened. */
export function cycloneDxComponents(bom: JsonObject, positions: ReadonlyMap<JsonObject, TextPosition>): ComponentWalk {
  const walk: ComponentWalk = { components: [], notObjects: 0 };
  // Depth is bounded by the reader's maxDepth, so this recursion is too.
  const visit = (items: readonly JsonValue[]): void => {
    for (const item of items) {
      const component = asObject(item);
      if (component === undefined) {
        walk.notObjects++;
        continue;
      }
      walk.components.push(component);
      visit(arrayField(component, 'components'));
    }
  };
  visit(arrayField(objectField(objectField(bom, 'metadata'), 'component'), 'components'));
  const rootParts = walk.components.length;
  visit(arrayField(bom, 'components'));
  if (rootParts > 0 && rootParts < walk.components.length) walk.components.sort((a, b) => compare(positions.get(a), positions.get(b)));
  return walk;
}

function compare(a: TextPosition | undefined, b: TextPosition | undefined): number {
  return (a?.line ?? 0) - (b?.line ?? 0) || (a?.character ?? 0) - (b?.character ?? 0);
}
