/**
 * The relaxed int8 conv path in Chromium, whose engine computes `i32x4.relaxed_dot_i8x16_i7x16_add_s`
 * right: on the relaxed build the plan takes the path by itself (the probe passes) and every output
 * is bit-exact with the baseline contract's JS reference. The emulated form on the simd build is
 * checked too, as in Node.
 */
import { defineQs8RelaxedSuite } from '../kernels/suites/qs8RelaxedSuite.js';

defineQs8RelaxedSuite('relaxed', 'auto');
defineQs8RelaxedSuite('simd', 'relaxed');
