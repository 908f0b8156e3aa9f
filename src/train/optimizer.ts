/**
 * Adam and SGD with momentum over a list of variables, with decoupled weight decay (AdamW-style:
 * θ ← θ − lr·wd·θ) and a learning rate given per step, so that schedules stay outside.
 * Slots are plain variables; `dispose` frees them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kapriError } from '../core/errors.js';

export type OptimizerConfig =
  | { readonly kind: 'adam'; readonly beta1?: number; readonly beta2?: number; readonly epsilon?: number }
  | { readonly kind: 'sgd'; readonly momentum?: number; readonly nesterov?: boolean };

export interface Optimizer {
  /**
   * Applies one update with learning rate `lr`; `grads[i]` belongs to `variables[i]`. A variable
   * with no gradient (it took no part in the loss) is left unchanged, weight decay included.
   */
  step(grads: readonly (tf.Tensor | undefined)[], lr: number): void;
  dispose(): void;
}

// tf.variable copies its initial tensor's data reference: tidy frees the initial tensor itself.
const slotsFor = (vars: readonly tf.Variable[]): tf.Variable[] => vars.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));

/** Creates an optimizer for `variables` (weight decay 0 by default). */
export const createOptimizer = (config: OptimizerConfig, variables: readonly tf.Variable[], weightDecay = 0): Optimizer => {
  if (!Number.isFinite(weightDecay) || weightDecay < 0) throw kapriError('InvalidConfig', `weight decay must be ≥ 0, got ${weightDecay}`);
  const decay = (v: tf.Variable, lr: number): tf.Tensor => (weightDecay > 0 ? tf.mul(v, 1 - lr * weightDecay) : v);
  if (config.kind === 'adam') {
    const b1 = config.beta1 ?? 0.9;
    const b2 = config.beta2 ?? 0.999;
    const eps = config.epsilon ?? 1e-8;
    const m = slotsFor(variables);
    const s = slotsFor(variables);
    let t = 0;
    return {
      step(grads, lr) {
        t++;
        const c1 = 1 - b1 ** t;
        const c2 = 1 - b2 ** t;
        tf.tidy(() => {
          variables.forEach((v, i) => {
            const g = grads[i];
            if (!g) return;
            const mi = tf.add(tf.mul(m[i]!, b1), tf.mul(g, 1 - b1));
            const si = tf.add(tf.mul(s[i]!, b2), tf.mul(tf.square(g), 1 - b2));
            m[i]!.assign(mi);
            s[i]!.assign(si);
            const update = tf.div(tf.mul(mi, lr / c1), tf.add(tf.sqrt(tf.div(si, c2)), eps));
            v.assign(tf.sub(decay(v, lr), update));
          });
        });
      },
      dispose() {
        tf.dispose([...m, ...s]);
      },
    };
  }
  const mu = config.momentum ?? 0.9;
  const vel = slotsFor(variables);
  return {
    step(grads, lr) {
      tf.tidy(() => {
        variables.forEach((v, i) => {
          const g = grads[i];
          if (!g) return;
          const vi = tf.add(tf.mul(vel[i]!, mu), g);
          vel[i]!.assign(vi);
          const dir = config.nesterov ? tf.add(g, tf.mul(vi, mu)) : vi;
          v.assign(tf.sub(decay(v, lr), tf.mul(dir, lr)));
        });
      });
    },
    dispose() {
      tf.dispose(vel);
    },
  };
};
