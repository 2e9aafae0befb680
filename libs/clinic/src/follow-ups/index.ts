export {
  FOLLOW_UP_KINDS,
  FOLLOW_UP_STATUSES,
  FOLLOW_UP_SUBJECTS,
  FollowUp,
  type FollowUpKind,
  type FollowUpStatus,
  type FollowUpSubject,
} from './follow-up.entity.js';
export { FollowUpsService } from './follow-ups.service.js';
