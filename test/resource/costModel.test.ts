import { describe, expect, it, beforeAll } from 'vitest';
import { networkCost, predictLatencyMs, weightBytes } from '../../src/resource/costModel.js';
import { imageEncoderSpec } from '../../src/nn/architectures.js';
import { createNetwork } from '../../src/nn/network.js';
import { createRng } from '../../src/core/rng.js';
import { initTraining } from '../../src/backend/initTraining.js';
import type { NetworkSpec } from '../../src/nn/layerSpec.js';

beforeAll(async () => {
  await initTraining();
});

describe('networkCost', () => {
  it('counts a 3×3 conv by hand: params k²·Cin·Cout + Cout, MACs H·W·Cout·k²·Cin', () => {
    const spec: NetworkSpec = {
      name: 'c',
      inputShape: [32, 32, 3],
      layers: [{ kind: 'conv2d', name: 'c', filters: 16, kernel: 3 }],
    };
    const c = networkCost(spec);
    expect(c.params).toBe(9 * 3 * 16 + 16);
    expect(c.macs).toBe(32 * 32 * 16 * 9 * 3);
    expect(c.peakActivationElements).toBe(32 * 32 * 3 + 32 * 32 * 16);
  });

  it('agrees with the trained network on its parameter count up to batch-norm statistics', () => {
    const spec = imageEncoderSpec({ width: 8, inputShape: [32, 32, 3] });
    const net = createNetwork(spec, createRng(0));
    // With batch norm the network has γ, β (2 per channel) where the folded cost counts a bias (1).
    const bnChannels = 8 + 16 + 16 + 16 + 32 + 32 + 32;
    expect(networkCost(spec).params).toBe(net.paramCount - bnChannels);
    net.dispose();
  });

  it('sizes int8 weights at a quarter of float plus per-channel overhead', () => {
    const c = networkCost(imageEncoderSpec({ width: 16, inputShape: [32, 32, 3] }));
    expect(weightBytes(c, 8) / weightBytes(c, 32)).toBeLessThan(0.26);
    expect(weightBytes(c, 4)).toBeLessThan(weightBytes(c, 8));
  });

  it('predicts latency from MACs at a rate', () => {
    expect(predictLatencyMs(1e9, 20)).toBeCloseTo(100);
    expect(predictLatencyMs(1e9, 20, 0.5)).toBeCloseTo(200);
  });
});
