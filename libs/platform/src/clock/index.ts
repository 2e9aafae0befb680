export * from './clock.js';
export * from './time-zone.js';
