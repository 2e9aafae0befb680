export * from './auth.service.js';
export * from './password.js';
export * from './refresh-token.entity.js';
export * from './roles.decorator.js';
export * from './user.entity.js';
export * from './users.service.js';
