/**
 * The kernel shapes as one-node ONNX models: their structure, the layout helper, the rows' placement
 * beside their kernel rows, and a quick run of the small shapes in both onnxruntime builds with every
 * output bit-identical to kapri's kernel (no faults). No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import type { BenchCase } from '../../bench/benchCase.js';
import { INT8_SHAPES } from '../../bench/kernelsInt8.js';
import { benchOrtKernels, besideKernelRows, oneNodeModel, toNchw } from '../../bench/kernelsOrt.js';
import { ortImpl } from '../../bench/modelVsOrt.js';
import { nodeOrtPeers } from '../../bench/ortPeers.js';
import { onnx } from '../../src/onnx/onnxProto.js';

describe('kernel peer models', () => {
  it('are one QLinearConv (group C for the depthwise) or one QLinearMatMul with per-channel scales', () => {
    for (const s of INT8_SHAPES) {
      const g = onnx.ModelProto.decode(oneNodeModel(s)).graph!;
      expect(g.node).toHaveLength(1);
      const node = g.node![0]!;
      expect(node.opType).toBe(s.kind === 'gemm' ? 'QLinearMatMul' : 'QLinearConv');
      const wScale = g.initializer!.find((t) => t.name === node.input![4])!;
      expect(wScale.dims!.map(Number)).toEqual([s.cout]);
      if (s.kind !== 'gemm') {
        const group = node.attribute!.find((a) => a.name === 'group')!;
        expect(Number(group.i)).toBe(s.kind === 'depthwise' ? s.geometry.inShape[3] : 1);
      }
    }
  });

  it('transposes NHWC to NCHW', () => {
    // [1, 2, 2, 3]: value = 100·h + 10·w + c
    const x = Int8Array.from([0, 1, 2, 10, 11, 12, 100 - 128, 101 - 128, 102 - 128, 110 - 128, 111 - 128, 112 - 128]);
    expect([...toNchw(x, [1, 2, 2, 3])]).toEqual([0, 10, -28, -18, 1, 11, -27, -17, 2, 12, -26, -16]);
  });

  it('places each peer row after the last row of its op and shape', () => {
    const r = (op: string, shape: string, impl: string): BenchCase => ({ op, shape, impl, msMedian: 1, gops: 1 });
    const out = besideKernelRows(
      [r('a', 's', 'kapri-int8-1t'), r('a', 's', 'tfjs-wasm-f32'), r('b', 's', 'kapri-int8-1t')],
      [r('a', 's', 'onnxruntime-web-int8-1t'), r('b', 's', 'onnxruntime-node-int8-1t'), r('c', 's', 'x')],
    );
    expect(out.map((c) => `${c.op} ${c.impl}`)).toEqual([
      'a kapri-int8-1t',
      'a tfjs-wasm-f32',
      'a onnxruntime-web-int8-1t',
      'b kapri-int8-1t',
      'b onnxruntime-node-int8-1t',
      'c x',
    ]);
  });

  it('runs the small shapes in both builds on one and two threads, bit-identical to kapri', async () => {
    const shapes = INT8_SHAPES.filter((s) => s.jsRef);
    const r = await benchOrtKernels({ quick: true, threads: 2, log: () => undefined, shapes, peers: nodeOrtPeers });
    expect(r.faults).toEqual([]);
    for (const s of shapes) {
      const impls = r.cases.filter((c) => c.op === s.op && c.shape === s.label).map((c) => c.impl);
      expect(impls.sort()).toEqual(
        [
          ortImpl('onnxruntime-web', 1),
          ortImpl('onnxruntime-web', 2),
          ortImpl('onnxruntime-node', 1),
          ortImpl('onnxruntime-node', 2),
        ].sort(),
      );
    }
    for (const c of r.cases) expect(c.gops).toBeGreaterThan(0);
  }, 300_000);
});
