// The kernel module's exports. Every kernel takes raw pointers into the JS-managed arena;
// the validated TypeScript wrappers in src/kernels check shapes and bounds before calling.
export { heap_base } from './memory';
export { qs8_quantize_f32, qs8_dequantize_f32 } from './qs8_quantize';
export { qs8_dot } from './qs8_dot';
export * from './f32';
export * from './calibration';
export { qs8_pad_widen, qs8_conv2d, qs8_conv2d_int4 } from './qs8_conv';
export { qs8_pad_i8, qs8_conv2d_i7 } from './qs8_conv_i7';
export { qs8_depthwise, qs8_pad_widen_repeat } from './qs8_depthwise';
export { qs8_maxpool, qs8_avgpool } from './qs8_pool';
export { qs8_add } from './qs8_add';
export { qs8_roofline } from './roofline';
export { qs8_roofline_i7 } from './rooflineI7';
