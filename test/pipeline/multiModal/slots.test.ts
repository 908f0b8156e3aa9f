/** The fused deployment's plans: every option pair but skip|skip, and the one-option plans that value them. */
import { describe, expect, it } from 'vitest';
import { alone, choiceKey, otherSlot, REFERENCE, validChoices } from '../../../src/pipeline/multiModal/slots.js';

describe('fused plans', () => {
  it('lists the 8 valid plans superior-major, without skip|skip', () => {
    expect(validChoices().map(choiceKey)).toEqual([
      'int8|int8',
      'int8|mixed-8/4',
      'int8|skip',
      'mixed-8/4|int8',
      'mixed-8/4|mixed-8/4',
      'mixed-8/4|skip',
      'skip|int8',
      'skip|mixed-8/4',
    ]);
  });

  it('changes one slot from the both-int8 reference', () => {
    expect(REFERENCE).toEqual({ superior: 'int8', weak: 'int8' });
    expect(alone('superior', 'skip')).toEqual({ superior: 'skip', weak: 'int8' });
    expect(alone('weak', 'mixed-8/4')).toEqual({ superior: 'int8', weak: 'mixed-8/4' });
    expect(REFERENCE).toEqual({ superior: 'int8', weak: 'int8' });
  });

  it('substitutes a skipped slot from the other one', () => {
    expect([otherSlot('superior'), otherSlot('weak')]).toEqual(['weak', 'superior']);
  });
});
