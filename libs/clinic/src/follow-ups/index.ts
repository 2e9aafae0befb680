export { FollowUp, type FollowUpStatus } from './follow-up.entity.js';
export { FollowUpsService, type FollowUpView, type NewFollowUp } from './follow-ups.service.js';
