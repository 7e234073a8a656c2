/**
 * The fixes of an advisory found on a component of a release, said of the component: "log4j-core
 * is fixed in 2.15.0", never "fixed in 2.15.0" next to the service's own releases, where it would
 * read as a release of the service. Only the fixes above the component's version are named (an
 * advisory lists the fixes of older lines too).
 */
import { parsePurl, serviceOrdering, type AdvisoryMatch } from '../advisories/index.js';
import type { SbomComponent } from './sbomParse.js';

/**
 * The fixes of a component's advisory that lie above the component's version, named with the
 * component, so they cannot be read as releases of the service: "log4j-core is fixed in 2.15.0".
 */
export function componentFixedText(match: AdvisoryMatch, component: SbomComponent): string {
  const above = componentFixes(match, component);
  return above.length ? `${component.name} is fixed in ${above.join(', ')}` : `no fixed version of ${component.name} is known`;
}

/** The fixes above the component's version, alone ("2.15.0"), for a list that names the component already. */
export function componentFixes(match: AdvisoryMatch, component: SbomComponent): string[] {
  const parsed = component.purl === undefined ? undefined : parsePurl(component.purl);
  const pkg = parsed && 'package' in parsed ? parsed.package : undefined;
  const ordering = pkg ? serviceOrdering(pkg) : undefined;
  const current = ordering && pkg?.version !== undefined ? ordering.parse(pkg.version) : undefined;
  if (!ordering || current === undefined) return match.fixed;
  return match.fixed.filter((f) => {
    const fixed = ordering.parse(f);
    return fixed !== undefined && ordering.compare(fixed, current) > 0;
  });
}
