import { describe, expect, it } from 'vitest';
import {
  isSite,
  nextSiteMode,
  recordSerial,
  SITE_REFRESH,
  siteSerialMs,
  siteTimed,
  siteTimes,
} from '../../src/kernels/siteChoice.js';

describe('call sites of a split burst', () => {
  it('runs a site serially for its first three calls, which time it', () => {
    const s = siteTimes('qs8_conv2d', 256, 589_824);
    const modes = [0.03, 0.025, 0.026].map((ms) => {
      const mode = nextSiteMode(s, 0.008);
      recordSerial(s, ms);
      return mode;
    });
    expect(modes).toEqual(['serial', 'serial', 'serial']);
    expect(nextSiteMode(s, 0.008)).toBe('split');
  });

  it('is not set by one cold call: its time is the median of its first three', () => {
    const s = siteTimes('qs8_conv2d', 64, 294_912);
    for (const ms of [2.7, 0.013, 0.012]) recordSerial(s, ms);
    expect(siteSerialMs(s)).toBe(0.013);
  });

  it('splits a site whose fastest serial call took at least the threshold', () => {
    const s = siteTimes('qs8_conv2d', 256, 589_824);
    recordSerial(s, 0.04);
    recordSerial(s, 0.025);
    recordSerial(s, 0.026);
    expect(nextSiteMode(s, 0.008)).toBe('split');
  });

  it('keeps a site serial while the median of its recent serial calls is under the threshold', () => {
    const s = siteTimes('qs8_pad_widen', 18, 4096);
    recordSerial(s, 0.02); // a cold first call
    recordSerial(s, 0.001);
    recordSerial(s, 0.001);
    expect(nextSiteMode(s, 0.008)).toBe('serial');
  });

  it('splits a site whose median is above the threshold though one read was below (a coarse clock)', () => {
    const s = siteTimes('qs8_conv2d', 64, 294_912);
    for (const ms of [0.01, 0.015, 0.005, 0.01, 0.015]) recordSerial(s, ms);
    expect(siteSerialMs(s)).toBe(0.01);
    expect(nextSiteMode(s, 0.008)).toBe('split');
  });

  it('runs a site that splits serially one call in 16, to keep its serial time current', () => {
    const s = siteTimes('qs8_conv2d', 256, 589_824);
    for (const ms of [0.03, 0.025, 0.026]) recordSerial(s, ms);
    s.calls = 3;
    const modes = Array.from({ length: 2 * SITE_REFRESH }, () => nextSiteMode(s, 0.008));
    expect(modes.filter((m) => m === 'serial')).toHaveLength(2);
    expect(modes[SITE_REFRESH - 4]).toBe('serial');
  });

  it('refreshes the sites of a burst in different bursts, by their place in it', () => {
    const sites = [0, 1, 2].map((i) => siteTimes('qs8_conv2d', 256, 589_824, i));
    for (const s of sites) for (const ms of [0.03, 0.025, 0.026]) recordSerial(s, ms);
    for (const s of sites) s.calls = 3;
    // each burst calls every site once: no burst runs them all serially
    const bursts = Array.from({ length: SITE_REFRESH }, () => sites.map((s) => nextSiteMode(s, 0.008)));
    expect(bursts.filter((b) => b.includes('serial'))).toHaveLength(3);
    expect(bursts.every((b) => b.filter((m) => m === 'serial').length <= 1)).toBe(true);
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

  it('times a site far under the split threshold only while it learns and on its refresh call', () => {
    const s = siteTimes('qs8_add', 64, 64, 5);
    expect(siteTimed(s, 0.008, 0)).toBe(true);
    for (const ms of [0.002, 0.002, 0.002]) recordSerial(s, ms);
    const timed = Array.from({ length: SITE_REFRESH }, () => {
      nextSiteMode(s, 0.008);
      return siteTimed(s, 0.008, siteSerialMs(s));
    });
    expect(timed.filter(Boolean)).toHaveLength(1);
    // near the threshold every call is timed
    expect(siteTimed(s, 0.008, 0.004)).toBe(true);
  });
});
