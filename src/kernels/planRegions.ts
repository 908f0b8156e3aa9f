/**
 * The arena regions of a planned conv or depthwise kernel: its packed weights, and the padded-input
 * scratch, either its own or one shared by every kernel of a model (they run one at a time, so a
 * model needs only the largest scratch, not their sum).
 */
import type { Region } from './arena.js';
import type { KernelModule } from './loader.js';
import { checkInArena } from './validate.js';

export interface PlanRegions {
  readonly packed: Region;
  /** Bytes of the packed weights (with bias and multipliers). */
  readonly packedBytes: number;
  readonly scratch: Region;
  readonly scratchBytes: number;
  /** False when the scratch was lent by the caller (it is not freed with the plan). */
  readonly ownsScratch: boolean;
}

/** Copies packed weights into the arena and takes (or checks the lent) scratch; frees what it took on failure. */
export const placePlan = (k: KernelModule, packedBytes: Uint8Array, scratchBytes: number, shared?: Region): PlanRegions => {
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
  return { packed, packedBytes: packedBytes.length, scratch, scratchBytes, ownsScratch: shared === undefined };
};

/** Frees a plan's packed weights, and its scratch when it owns it. */
export const releasePlan = (k: KernelModule, p: PlanRegions): void => {
  k.arena.free(p.packed);
  if (p.ownsScratch) k.arena.free(p.scratch);
};
