/**
 * The end-to-end model section in its quick configuration: both models run in kapri (one thread and
 * a pool of two), onnxruntime-web and onnxruntime-node (one and two threads), every peer bit-identical
 * to kapri (no faults), and the rows and summary in the bench JSON's shape. No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/kernels/loader.js';
import { sizeOf } from '../../src/core/shape.js';
import { createRng } from '../../src/core/rng.js';
import { createKernelExecutor } from '../../src/runtime/kernelExecutor.js';
import { benchModelsEndToEnd } from '../../bench/modelsEndToEnd.js';
import { benchModels, encodeBenchModel } from '../../bench/endToEndModels.js';
import { nodeOrtPeers } from '../../bench/ortPeers.js';
import { decodeQModel } from '../../src/runtime/qmodelFile.js';
import { unwrap } from '../../src/core/errors.js';
import { mobilenetQModel, MOBILENET_INPUT } from '../../bench/mobilenetQModel.js';
import { kapriImpl, MODEL_OP, ortImpl } from '../../bench/modelVsOrt.js';

describe('MobileNet-style bench model', () => {
  it('is a 96×96×3 stack of depthwise 3×3 + 1×1 convs with stride-2 stages, a global pool and a dense head', async () => {
    const k = await loadKernels();
    const m = mobilenetQModel(k);
    const ops = m.header.ops.map((o) => o.op);
    expect(m.header.tensors.find((t) => t.name === 'input')!.shape).toEqual([...MOBILENET_INPUT]);
    expect(ops.filter((o) => o === 'depthwise3x3')).toHaveLength(7);
    expect(ops.filter((o) => o === 'conv2d')).toHaveLength(8);
    expect(m.header.ops.filter((o) => o.op === 'depthwise3x3' && o.stride === 2)).toHaveLength(3);
    expect(ops.slice(-3)).toEqual(['globalAvgPool', 'dense', 'dequantize']);
    expect(m.cost.macs).toBeGreaterThan(10e6);
    // deterministic in its seed
    const again = mobilenetQModel(await loadKernels({ build: 'simd' }), 1);
    expect(again).not.toBe(m);
    expect(again.header).toEqual(m.header);
    expect(again.sections).toEqual(m.sections);
  });

  it('spreads its codes: outputs over random images neither constant nor saturated', async () => {
    const k = await loadKernels();
    const m = mobilenetQModel(k);
    const exe = createKernelExecutor(m, k);
    const rng = createRng(3);
    const batch = 8;
    const out = exe.run(
      Float32Array.from({ length: sizeOf(MOBILENET_INPUT) * batch }, () => rng.uniform()),
      batch,
    )['output']!;
    exe.dispose();
    const q = m.header.tensors.find((t) => t.name === 'logits')!.quant!;
    const codes = Array.from(out, (v) => Math.round(v / q.scale) + q.zeroPoint);
    expect(new Set(codes).size).toBeGreaterThan(20);
    expect(codes.filter((c) => c === -128 || c === 127).length).toBeLessThan(codes.length / 4);
  });
});

describe('end-to-end model bench (quick)', () => {
  it('runs both models in kapri and both onnxruntime builds, bit-identical, in the bench JSON shape', async () => {
    const lines: string[] = [];
    const r = await benchModelsEndToEnd({
      quick: true,
      threads: 2,
      log: (l) => lines.push(l),
      models: await benchModels(),
      peers: nodeOrtPeers,
    });
    expect(r.faults).toEqual([]);
    const shapes = [...new Set(r.cases.map((c) => c.shape))];
    expect(shapes).toEqual(['hands student 1x32x32x3', 'mobilenet-style 1x96x96x3']);
    const impls = [1, 2].flatMap((t) => [kapriImpl(t), ortImpl('onnxruntime-web', t), ortImpl('onnxruntime-node', t)]);
    for (const shape of shapes) {
      expect(
        r.cases
          .filter((c) => c.shape === shape)
          .map((c) => c.impl)
          .sort(),
        shape,
      ).toEqual([...impls].sort());
    }
    for (const c of r.cases) {
      expect(Object.keys(c).sort()).toEqual(['gops', 'impl', 'msMedian', 'op', 'shape']);
      expect(c.op).toBe(MODEL_OP);
      expect(c.msMedian).toBeGreaterThan(0);
      expect(c.gops).toBeGreaterThan(0);
    }
    for (const v of Object.values(r.summary)) expect(v).toBeGreaterThan(0);
    expect(r.summary.modelVsOrtWeb).toBe(r.summary.modelVsOrtWebPooled);
    expect(JSON.parse(JSON.stringify(r.summary))).toEqual(r.summary);
    expect(lines.some((l) => l.includes('onnxruntime-web, 2 thread(s)'))).toBe(true);
  }, 300_000);

  it('builds the hands student from the default preset’s architecture, deterministically', async () => {
    const [a] = await benchModels();
    const [b] = await benchModels();
    expect(a!.model.header.tensors.find((t) => t.name === 'input')!.shape).toEqual([32, 32, 3]);
    expect(a!.model.header.ops.map((o) => o.op)).toContain('conv2d');
    expect(a!.model.sections).toEqual(b!.model.sections);
  }, 120_000);

  it('hands the browser page the same models as QModel bytes', async () => {
    for (const m of await benchModels()) {
      const back = unwrap(decodeQModel(encodeBenchModel(m)));
      expect(back.header).toEqual(m.model.header);
      expect(back.sections).toEqual(m.model.sections);
    }
  }, 120_000);
});
