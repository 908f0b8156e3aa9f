/**
 * A registry of definitions by name (torchdistill's registries, tfjs's `registerKernel`): a concept
 * (a prior family, a distillation loss, a scenario) is one definition plus one `register` call, and
 * whatever lists the concept's names (the config decoder, the target stage's methods, the CLI's
 * suggestions) asks the registry instead of keeping a list of its own. Names keep their registration
 * order, so lists derived from a registry (report keys among them) are stable.
 *
 * @example
 * const shapes = createRegistry<{ sides: number }>('shape');
 * shapes.register('triangle', { sides: 3 });
 * shapes.get('triangle').sides; // 3
 * shapes.names(); // ['triangle']
 * shapes.register('triangle', { sides: 4 }); // throws KapriError[DuplicateName]
 */
import { didYouMean } from './suggest.js';
import { kapriError } from './errors.js';

export interface Registry<V> {
  /** What the registry holds, singular ('prior', 'scenario'): it names the registry in messages. */
  readonly kind: string;
  /** Adds a definition; a name already taken is refused (`DuplicateName`), never silently replaced. */
  register(name: string, definition: V): void;
  /** Whether `name` is registered. */
  has(name: string): boolean;
  /** The definition of `name`; an unknown name is an `InvalidConfig` error listing the registered ones. */
  get(name: string): V;
  /** The registered names, in registration order. */
  names(): readonly string[];
}

/** A name a registry key may take: a JS identifier-like word, so it reads well in configs and reports. */
const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** An empty registry of `kind`s. */
export const createRegistry = <V>(kind: string): Registry<V> => {
  const entries = new Map<string, V>();
  return {
    kind,
    register(name, definition) {
      if (!NAME.test(name))
        throw kapriError(
          'InvalidArgument',
          `a ${kind} name must start with a letter and hold only letters, digits, '_' and '-', got '${name}'`,
          { registry: kind, name },
        );
      if (entries.has(name))
        throw kapriError('DuplicateName', `a ${kind} named '${name}' is already registered; choose another name`, {
          registry: kind,
          name,
        });
      entries.set(name, definition);
    },
    has: (name) => entries.has(name),
    get(name) {
      const d = entries.get(name);
      if (d === undefined)
        throw kapriError(
          'InvalidConfig',
          `unknown ${kind} '${name}'; ${kind}s: ${[...entries.keys()].join(', ')}${didYouMean(name, [...entries.keys()])}`,
          {
            registry: kind,
            name,
          },
        );
      return d;
    },
    names: () => [...entries.keys()],
  };
};
