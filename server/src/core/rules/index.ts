/** Every rule, in catalog order. Adding a rule means adding its file and one line here. */
import { PB001 } from './PB001.js';
import { PB002 } from './PB002.js';
import { PB003 } from './PB003.js';
import { PB004 } from './PB004.js';
import { PB005 } from './PB005.js';
import { PB006 } from './PB006.js';
import { PB007 } from './PB007.js';
import { PB008 } from './PB008.js';
import { PB100 } from './PB100.js';
import { PB101 } from './PB101.js';
import { PB102 } from './PB102.js';
import { PB103 } from './PB103.js';
import { PB104 } from './PB104.js';
import { PB105 } from './PB105.js';
import { PB106 } from './PB106.js';
import { PB107 } from './PB107.js';
import { PB108 } from './PB108.js';
import { PB109 } from './PB109.js';
import { PB110 } from './PB110.js';
import { PB111 } from './PB111.js';
import type { RuleDefinition } from './rule.js';

export const RULES: readonly RuleDefinition[] = [PB001, PB002, PB003, PB004, PB005, PB006, PB007, PB008, PB100, PB101, PB102, PB103, PB104, PB105, PB106, PB107, PB108, PB109, PB110, PB111];

export const RULES_BY_ID: ReadonlyMap<string, RuleDefinition> = new Map(RULES.map((r) => [r.id, r]));
