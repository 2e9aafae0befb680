export * from './data-source.js';
export * from './embedded-postgres.js';
export * from './migrate.js';
export * from './pagination.js';
export * from './transaction.js';
export * from './numeric.js';
export * from './find.js';
export * from './pool-guard.js';
