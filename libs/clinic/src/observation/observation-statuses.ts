import type { SessionStatus } from '../sessions/index.js';

/** Dosing has started and the patient has not left: observation checks are charted and the observation jobs still matter. */
export const DOSED_IN_CLINIC_STATUSES: readonly SessionStatus[] = ['dosing', 'paused', 'observation', 'aborted'];

/** Dosing is over (ended or stopped early) and the patient awaits discharge: vitals may be attested for it. */
export const AWAITING_DISCHARGE_STATUSES: readonly SessionStatus[] = ['observation', 'aborted'];

/** A treatment was given and its dosing is over, discharged or not: counted as an earlier treatment on the REMS form. */
export const TREATED_STATUSES: readonly SessionStatus[] = ['observation', 'aborted', 'discharged'];
