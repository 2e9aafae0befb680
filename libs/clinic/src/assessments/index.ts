export * from './assessment.entity.js';
export * from './assessments.service.js';
export * from './scoring.js';
