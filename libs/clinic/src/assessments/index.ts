export { Assessment } from './assessment.entity.js';
export { AssessmentsService, type AssessmentView, type NewAssessment } from './assessments.service.js';
export {
  ASSESSMENT_BANDS,
  ASSESSMENT_FLAGS,
  ASSESSMENT_ITEM_MAX,
  BASELINE_KINDS,
  INSTRUMENTS,
  type Instrument,
  type OutcomeSummary,
  type OutcomeView,
} from './scoring.js';
