/** Device profiles, the exact allocator across modalities, and the runtime governor. */
export * from './deviceProfile.js';
export * from './allocator.js';
export * from './governor.js';
export * from './costModel.js';
