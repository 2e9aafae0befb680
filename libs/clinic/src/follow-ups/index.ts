export { FollowUp, type FollowUpStatus } from './follow-up.entity.js';
export { FollowUpsService } from './follow-ups.service.js';
