/**
 * The QModel ops this runtime ships: one definition file each, one line each here. Adding an op is
 * its definition file (and its kernel) plus one line in {@link BUILTIN_OPS}; `QOp` follows.
 */
import { addOp } from './add.js';
import { conv2dOp } from './conv2d.js';
import { denseOp } from './dense.js';
import { depthwiseOp } from './depthwise.js';
import { depthwise3x3Op } from './depthwise3x3.js';
import { dequantizeOp } from './dequantize.js';
import { globalAvgPoolOp } from './globalAvgPool.js';
import type { OpOf } from './opDefinition.js';
import { createOpRegistry, type OpRegistry } from './opRegistry.js';
import { avgPoolOp, maxPoolOp } from './pool.js';
import { quantizeOp } from './quantize.js';

export const BUILTIN_OPS = [
  quantizeOp,
  dequantizeOp,
  conv2dOp,
  depthwise3x3Op,
  depthwiseOp,
  denseOp,
  maxPoolOp,
  avgPoolOp,
  globalAvgPoolOp,
  addOp,
] as const;

/** An op of a QModel this runtime runs, as decoded (the union of the built-in definitions' ops). */
export type QOp = OpOf<(typeof BUILTIN_OPS)[number]>;

/** The built-in ops by name. */
export const QOP_REGISTRY: OpRegistry<QOp> = createOpRegistry(BUILTIN_OPS);
