export * from './vigil-logger.js';
