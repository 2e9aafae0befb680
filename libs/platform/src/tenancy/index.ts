export * from './clinic.entity.js';
export * from './tenancy.service.js';
