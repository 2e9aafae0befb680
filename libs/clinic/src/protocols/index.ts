export * from './protocol-definition.js';
export * from './protocol.entity.js';
export * from './protocols.service.js';
export * from './threshold-rules.js';
