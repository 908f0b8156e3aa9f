/** One sample's inputs for a plan: only the modalities that run, sliced from the split. */
import { describe, expect, it } from 'vitest';
import { inputsOf } from '../../../src/pipeline/multiModal/planMeasures.js';
import type { PairedSource } from '../../../src/data/dataset.js';

describe('plan inputs', () => {
  const split: PairedSource = {
    n: 2,
    superior: { data: Float32Array.from([1, 2, 3, 4]), shape: [2] },
    weak: { data: Float32Array.from([5, 6, 7, 8, 9, 10]), shape: [3] },
  };

  it('slices sample s of each modality that runs', () => {
    expect(inputsOf(split, 1, ['superior', 'weak'])).toEqual({
      superior: Float32Array.from([3, 4]),
      weak: Float32Array.from([8, 9, 10]),
    });
  });

  it('gives a skipped modality no input', () => {
    expect(inputsOf(split, 0, ['weak'])).toEqual({ weak: Float32Array.from([5, 6, 7]) });
  });
});
