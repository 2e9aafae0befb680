export * from './dose-math.js';
export * from './dose-history.js';
export * from './dosing.service.js';
