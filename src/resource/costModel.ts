/**
 * Static cost of a network spec: parameters, multiply-accumulates, weight bytes at a bit width, and
 * peak activation bytes (the largest input + output pair alive at once when buffers are reused, as
 * the runtime's planned arena does). Latency is predicted from MACs at a measured kernel rate.
 */
import { convOutSize } from '../core/shape.js';
import type { LayerSpec, NetworkSpec } from '../nn/layerSpec.js';

export interface LayerCost {
  readonly name: string;
  readonly kind: LayerSpec['kind'];
  readonly params: number;
  readonly macs: number;
  readonly outShape: readonly number[];
}

export interface NetworkCost {
  readonly params: number;
  readonly macs: number;
  readonly layers: readonly LayerCost[];
  /** Largest (input + output) activation elements of any layer: the arena's activation need at int8. */
  readonly peakActivationElements: number;
}

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

const layerCost = (spec: LayerSpec, inShape: readonly number[], out: LayerCost[]): number[] => {
  const push = (
    params: number,
    macs: number,
    outShape: number[],
    name = 'name' in spec ? spec.name : spec.kind,
  ): number[] => {
    out.push({ name, kind: spec.kind, params, macs, outShape });
    return outShape;
  };
  switch (spec.kind) {
    case 'conv2d': {
      const [h, w, c] = inShape as [number, number, number];
      const s = spec.stride ?? 1;
      const pad = spec.padding ?? 'same';
      const o = [convOutSize(h, spec.kernel, s, pad), convOutSize(w, spec.kernel, s, pad), spec.filters];
      return push(
        spec.kernel * spec.kernel * c * spec.filters + spec.filters,
        o[0]! * o[1]! * spec.filters * spec.kernel * spec.kernel * c,
        o,
      );
    }
    case 'depthwise': {
      const [h, w, c] = inShape as [number, number, number];
      const s = spec.stride ?? 1;
      const o = [convOutSize(h, 3, s, 'same'), convOutSize(w, 3, s, 'same'), c];
      return push(9 * c + c, o[0]! * o[1]! * c * 9, o);
    }
    case 'conv1d': {
      const [l, c] = inShape as [number, number];
      const o = [convOutSize(l, spec.kernel, spec.stride ?? 1, spec.padding ?? 'same'), spec.filters];
      return push(spec.kernel * c * spec.filters + spec.filters, o[0]! * spec.filters * spec.kernel * c, o);
    }
    case 'dense':
      return push(inShape[0]! * spec.units + spec.units, inShape[0]! * spec.units, [spec.units]);
    case 'maxPool':
    case 'avgPool': {
      const s = spec.stride ?? spec.size;
      const pad = spec.padding ?? 'same';
      const o =
        inShape.length === 3
          ? [convOutSize(inShape[0]!, spec.size, s, pad), convOutSize(inShape[1]!, spec.size, s, pad), inShape[2]!]
          : [convOutSize(inShape[0]!, spec.size, s, pad), inShape[1]!];
      return push(0, 0, o);
    }
    case 'globalAvgPool':
      return push(0, 0, [inShape[inShape.length - 1]!]);
    case 'flatten':
      return push(0, 0, [size(inShape)]);
    case 'residual': {
      let shape = [...inShape];
      for (const l of spec.body) shape = layerCost(l, shape, out);
      if (size(shape) !== size(inShape) || shape[2] !== inShape[2]) {
        // 1×1 projection shortcut
        const projMacs = size(shape) * inShape[2]!;
        return push(inShape[2]! * shape[2]!, projMacs, shape, `${spec.name}/shortcut`);
      }
      return push(0, size(shape), shape, `${spec.name}/add`);
    }
  }
};

/** The cost of every layer of a network spec. */
export const networkCost = (spec: NetworkSpec): NetworkCost => {
  const layers: LayerCost[] = [];
  let shape = [...spec.inputShape];
  let peak = 0;
  for (const l of spec.layers) {
    const next = layerCost(l, shape, layers);
    peak = Math.max(peak, size(shape) + size(next));
    shape = next;
  }
  return {
    params: layers.reduce((a, l) => a + l.params, 0),
    macs: layers.reduce((a, l) => a + l.macs, 0),
    layers,
    peakActivationElements: peak,
  };
};

/** Weight bytes at `bits` per weight plus per-channel float scales and int32 biases (≈ 8 bytes per channel). */
export const weightBytes = (cost: NetworkCost, bits: 8 | 4 | 32): number => {
  const channels = cost.layers.reduce((a, l) => a + (l.params > 0 ? l.outShape[l.outShape.length - 1]! : 0), 0);
  return bits === 32 ? cost.params * 4 : Math.ceil((cost.params * bits) / 8) + channels * 8;
};

/** Predicted latency (ms) of `macs` at a measured rate in GOPS (2 ops per MAC), scaled by device speed. */
export const predictLatencyMs = (macs: number, gops: number, relativeSpeed = 1): number =>
  (2 * macs) / (gops * 1e6) / relativeSpeed;
