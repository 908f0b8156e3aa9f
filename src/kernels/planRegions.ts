/**
 * The arena regions of a planned conv or depthwise kernel: its packed weights, and the padded-input
 * scratch, either its own or one shared by every kernel of a model (they run one at a time, so a
 * model needs only the largest scratch, not their sum).
 */
import type { Region } from './arena.js';
import type { ConvLayout } from './convGeometry.js';
import type { KernelModule } from './loader.js';
import { kapriError } from '../core/errors.js';
import { checkRunner, type Runner } from './parallel.js';
import { checkInArena, checkObject } from './validate.js';

export interface PlanRegions {
  /** The module whose arena holds the regions: the plan runs on this module only. */
  readonly module: KernelModule;
  readonly packed: Region;
  /** Bytes of the packed weights (with bias and multipliers). */
  readonly packedBytes: number;
  readonly scratch: Region;
  readonly scratchBytes: number;
  /** False when the scratch was lent by the caller (it is not freed with the plan). */
  readonly ownsScratch: boolean;
}

/** Copies packed weights into the arena and takes (or checks the lent) scratch; frees what it took on failure. */
export const placePlan = (
  k: KernelModule,
  packedBytes: Uint8Array,
  scratchBytes: number,
  shared?: Region,
): PlanRegions => {
  if (shared) checkInArena(k.arena, 'scratch', shared, scratchBytes);
  const packed = k.arena.alloc(packedBytes.length);
  let scratch: Region;
  try {
    scratch = shared ?? k.arena.alloc(scratchBytes);
  } catch (e) {
    k.arena.free(packed);
    throw e;
  }
  k.arena.u8At(packed, packedBytes.length).set(packedBytes);
  return {
    module: k,
    packed,
    packedBytes: packedBytes.length,
    scratch,
    scratchBytes,
    ownsScratch: shared === undefined,
  };
};

/** A plan runs on the module that placed it: its offsets mean nothing (or another model's memory) elsewhere. */
export const checkPlanModule = (k: KernelModule, plan: PlanRegions): void => {
  checkObject('plan', plan);
  if (plan.module !== k)
    throw kapriError(
      'InvalidArgument',
      `this plan was made on another kernel module (a '${plan.module?.build}' build loaded separately): run it on the module that planned it`,
    );
};

/** Frees a plan's packed weights, and its scratch when it owns it. */
export const releasePlan = (k: KernelModule, p: PlanRegions): void => {
  checkPlanModule(k, p);
  k.arena.free(p.packed);
  if (p.ownsScratch) k.arena.free(p.scratch);
};

/** Before a run: the plan and runner belong to `k`, and every region the run touches lies in its arena. */
export const checkPlanRun = (
  k: KernelModule,
  plan: PlanRegions & { readonly inBytes: number; readonly outBytes: number },
  x: Region,
  y: Region,
  runner: Runner,
): void => {
  checkPlanModule(k, plan);
  checkRunner(k, runner);
  checkInArena(k.arena, 'x', x, plan.inBytes);
  checkInArena(k.arena, 'y', y, plan.outBytes);
  checkInArena(k.arena, 'packed weights', plan.packed, plan.packedBytes);
  checkInArena(k.arena, 'scratch', plan.scratch, plan.scratchBytes);
};

/** Bytes of the padded int16 input image `x − zp` of an NHWC input with `cp` (padded) channels. */
export const paddedInputBytes = (
  inShape: readonly [number, number, number, number],
  pad: ConvLayout['pad'],
  cp: number,
): number => inShape[0] * (inShape[1] + pad.top + pad.bottom) * (inShape[2] + pad.left + pad.right) * cp * 2;

/** What the padded-input stage needs of a planned conv or depthwise kernel. */
export interface PaddedInputPlan extends PlanRegions {
  readonly spec: { readonly inShape: readonly [number, number, number, number]; readonly xZeroPoint: number };
  readonly layout: ConvLayout;
  readonly inBytes: number;
  readonly outBytes: number;
}

/**
 * The first stage of a conv or depthwise run: checks every region the run touches, then writes x as
 * the padded int16 image `x − zp` (channels padded to `cp`) into the plan's scratch; with a depth
 * `multiplier` above 1, every channel repeated that many times (a depthwise convolution's output
 * channels, each reading its input channel). Returns the padded height and width the second stage reads.
 */
export const padWidenInput = (
  k: KernelModule,
  plan: PaddedInputPlan,
  x: Region,
  y: Region,
  cp: number,
  runner: Runner,
  multiplier = 1,
): { hp: number; wp: number } => {
  checkPlanRun(k, plan, x, y, runner);
  const [n, h, w, c] = plan.spec.inShape;
  const { pad } = plan.layout;
  const hp = h + pad.top + pad.bottom;
  const wp = w + pad.left + pad.right;
  const zp = plan.spec.xZeroPoint;
  const pads = [pad.top, pad.bottom, pad.left, pad.right];
  if (multiplier === 1)
    runner.run('qs8_pad_widen', [x.ptr, plan.scratch.ptr, h, w, c, cp, zp, ...pads], n * hp, plan.inBytes);
  else
    runner.run(
      'qs8_pad_widen_repeat',
      [x.ptr, plan.scratch.ptr, h, w, c, multiplier, cp, zp, ...pads],
      n * hp,
      plan.inBytes * multiplier,
    );
  return { hp, wp };
};
