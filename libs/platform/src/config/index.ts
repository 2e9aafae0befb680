export * from './load-config.js';
export * from './vigil-config.js';
