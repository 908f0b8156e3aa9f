/** Node computes exactly the golden outputs; test/browser/golden.test.ts checks Chromium against the same bits. */
import { describe, expect, it } from 'vitest';
import golden from '../fixtures/executorGolden.json' with { type: 'json' };
import { runDemo } from '../../examples/browser/demo.js';
import { bits } from '../support/values.js';

describe('runtime golden outputs', () => {
  it('Node runs the example student to the golden output bits', async () => {
    const r = await runDemo(Uint8Array.from(atob(golden.model), (c) => c.charCodeAt(0)));
    expect(bits(r.outputs['output']!)).toEqual(golden.output);
    expect(bits(r.outputs['feature']!)).toEqual(golden.feature);
  });
});
