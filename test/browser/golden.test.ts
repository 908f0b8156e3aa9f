/** The browser demo runs a model.kapri in Chromium to exactly the bits Node computes (the golden file). */
import { describe, expect, it } from 'vitest';
import golden from '../fixtures/executorGolden.json' with { type: 'json' };
import { runDemo } from '../../examples/browser/demo.js';
import { bits } from '../support/values.js';

describe('browser demo', () => {
  it("runs the student in Chromium to the same output bits as Node's", async () => {
    const r = await runDemo(Uint8Array.from(atob(golden.model), (c) => c.charCodeAt(0)));
    expect(r.outputs['output']!.length).toBe(63);
    expect(bits(r.outputs['output']!)).toEqual(golden.output);
    expect(bits(r.outputs['feature']!)).toEqual(golden.feature);
    expect(r.ms).toBeGreaterThan(0);
    // the test page is cross-origin isolated: the demo runs the threads build over Web Workers
    expect(r.isolated).toBe(true);
    expect(r.build).toBe('threads');
    expect(r.threads).toBeGreaterThan(1);
  });

  it('gives the same bits on one thread', async () => {
    const r = await runDemo(
      Uint8Array.from(atob(golden.model), (c) => c.charCodeAt(0)),
      { threads: 1 },
    );
    expect(r.threads).toBe(1);
    expect(bits(r.outputs['output']!)).toEqual(golden.output);
  });
});
