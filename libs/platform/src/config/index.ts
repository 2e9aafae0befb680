export * from './vigil-config.js';
