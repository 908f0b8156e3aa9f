/** Datasets (paired source, teacherless target), validation, splits, previews. */
export * from './dataset.js';
export * from './validate.js';
export * from './splits.js';
export * from './png.js';
export * from './preview.js';
export * from './npy.js';
export * from './manifest.js';
export * from './npyStream.js';
