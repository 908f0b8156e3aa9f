/** Cross-modal distillation: projections, trainers (teacher, CMKD, ensemble, supervision transfer, feedback). */
export * from './batches.js';
export * from './projection.js';
export * from './trainTeacher.js';
export * from './cmkd.js';
export * from './ensemble.js';
export * from './supervisionTransfer.js';
export * from './feedback.js';
export * from './losses/index.js';
