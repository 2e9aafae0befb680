export * from './session-state.js';
export * from './session.entity.js';
export * from './pre-session-gate.js';
export * from './sessions.service.js';
export * from './session-views.service.js';
