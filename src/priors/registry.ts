/**
 * The prior families by name: each is a target-stage method (after `scratch` and `finetune`, in
 * registration order) and a key of report.json `target.methods`. A built-in family is its file in
 * `families/` and one line below; a family defined elsewhere (a test, an application) is one
 * `registerPrior` call, after which the pipeline learns it on the source and trains the target with it.
 *
 * Registration is per thread: a seed run on a worker thread (`--jobs` > 1) sees the families
 * registered here, not ones registered at run time in the main thread.
 */
import { createRegistry } from '../core/registry.js';
import { fisherFamily } from './families/fisher.js';
import { kapFamily } from './families/kap.js';
import { kapFixedFamily } from './families/kapFixed.js';
import { l2spFamily } from './families/l2sp.js';
import type { PriorFamilyDefinition } from './priorFamily.js';

export const priorRegistry = createRegistry<PriorFamilyDefinition>('prior');

/**
 * Registers a prior family under its name; a name already taken is refused (`DuplicateName`).
 *
 * @example
 * registerPrior({ name: 'zero', description: 'a pull towards 0', learn: ({ parts }) => ({ prior: zeroPrior(parts.student) }) });
 */
export const registerPrior = (d: PriorFamilyDefinition): void => priorRegistry.register(d.name, d);

/** The registered prior families' names, in registration order (the built-in ones first). */
export const priorNames = (): readonly string[] => priorRegistry.names();

registerPrior(l2spFamily);
registerPrior(fisherFamily);
registerPrior(kapFamily);
registerPrior(kapFixedFamily);
