export { Assessment } from './assessment.entity.js';
export { AssessmentsService, type AssessmentView, type NewAssessment } from './assessments.service.js';
export { INSTRUMENTS, type Instrument, type OutcomeSummary } from './scoring.js';
