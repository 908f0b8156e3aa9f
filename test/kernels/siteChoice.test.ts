import { describe, expect, it } from 'vitest';
import { fastest, isSite, recordSerial, siteMode, siteTimes } from '../../src/kernels/siteChoice.js';

describe('call sites of a split burst', () => {
  it('runs a site serially until its first call has been timed', () => {
    expect(siteMode(siteTimes('qs8_conv2d', 256, 589_824), 0.008)).toBe('serial');
  });

  it('splits a site whose fastest serial call took at least the threshold', () => {
    const s = siteTimes('qs8_conv2d', 256, 589_824);
    recordSerial(s, 0.04);
    recordSerial(s, 0.025);
    expect(siteMode(s, 0.008)).toBe('split');
  });

  it('keeps a site serial when any of its recent serial calls was faster than the threshold', () => {
    const s = siteTimes('qs8_pad_widen', 18, 4096);
    recordSerial(s, 0.02); // a cold first call
    recordSerial(s, 0.001);
    expect(siteMode(s, 0.008)).toBe('serial');
  });

  it('keeps only the last seven serial times', () => {
    const s = siteTimes('qs8_add', 64, 64);
    for (let i = 1; i <= 10; i++) recordSerial(s, i);
    expect(s.serial).toEqual([4, 5, 6, 7, 8, 9, 10]);
  });

  it('knows its own call: kernel, range and work', () => {
    const s = siteTimes('qs8_conv2d', 256, 589_824);
    expect(isSite(s, 'qs8_conv2d', 256, 589_824)).toBe(true);
    expect(isSite(s, 'qs8_conv2d', 64, 589_824)).toBe(false);
    expect(isSite(s, 'qs8_add', 256, 589_824)).toBe(false);
    expect(isSite(s, 'qs8_conv2d', 256, 294_912)).toBe(false);
  });

  it('takes the smallest of a list', () => {
    expect(fastest([3, 1, 2])).toBe(1);
    expect(fastest([5])).toBe(5);
  });
});
