/**
 * The call types of a kernel build's raw exports, for the compiler. What a build really exports is
 * build/kernelSignatures.js, generated from the build itself (scripts/build-wasm.mjs): the loader
 * checks every module against it, and test/kernels/kernelSignatures.test.ts fails when these types
 * and it disagree on a name or an arity.
 */
import type { CalibrationExports } from './calibrationExports.js';
import type { F32Exports } from './f32Exports.js';

/** The core raw exports of a kernel build. Pointers are byte offsets into the module's memory. */
export interface CoreExports {
  heap_base(): number;
  qs8_quantize_f32(x: number, y: number, n: number, scale: number, zp: number): void;
  qs8_dequantize_f32(q: number, y: number, n: number, scale: number, zp: number): void;
  qs8_dot(a: number, b: number, n: number): number;
  qs8_pad_widen(
    x: number,
    xp: number,
    h: number,
    w: number,
    c: number,
    cp: number,
    zp: number,
    pt: number,
    pb: number,
    pl: number,
    pr: number,
    start: number,
    end: number,
  ): void;
  qs8_pad_widen_repeat(
    x: number,
    xp: number,
    h: number,
    w: number,
    c: number,
    m: number,
    cp: number,
    zp: number,
    pt: number,
    pb: number,
    pl: number,
    pr: number,
    start: number,
    end: number,
  ): void;
  qs8_conv2d(
    xp: number,
    pw: number,
    y: number,
    hp: number,
    wp: number,
    cp: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    dh: number,
    dw: number,
    oh: number,
    ow: number,
    cout: number,
    zpOut: number,
    lo: number,
    hi: number,
    start: number,
    end: number,
  ): void;
  qs8_conv2d_int4(
    xp: number,
    pw: number,
    y: number,
    hp: number,
    wp: number,
    cp: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    dh: number,
    dw: number,
    oh: number,
    ow: number,
    cout: number,
    zpOut: number,
    lo: number,
    hi: number,
    start: number,
    end: number,
  ): void;
  qs8_depthwise(
    xp: number,
    pw: number,
    y: number,
    hp: number,
    wp: number,
    cp: number,
    c: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    dh: number,
    dw: number,
    oh: number,
    ow: number,
    zpOut: number,
    lo: number,
    hi: number,
    start: number,
    end: number,
  ): void;
  qs8_maxpool(
    x: number,
    y: number,
    h: number,
    w: number,
    c: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    oh: number,
    ow: number,
    start: number,
    end: number,
  ): void;
  qs8_avgpool(
    x: number,
    y: number,
    h: number,
    w: number,
    c: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    oh: number,
    ow: number,
    sx: number,
    sy: number,
    zpx: number,
    zpy: number,
    start: number,
    end: number,
  ): void;
  qs8_roofline(iters: number, variant: number): number;
  qs8_add(
    a: number,
    b: number,
    y: number,
    za: number,
    ma: number,
    zb: number,
    mb: number,
    zy: number,
    lo: number,
    hi: number,
    start: number,
    end: number,
  ): void;
}

/** Every raw export of a kernel build, one interface per kernel family. */
export interface KernelExports extends CoreExports, F32Exports, CalibrationExports {}
