import type { PreChecks } from './session.entity.js';

export interface TransitionInput {
  occurredAt?: Date;
  reason?: string;
}

export interface CheckInInput extends TransitionInput {
  anesthesiologistUserId?: string;
  chairId?: string;
  chairLabel?: string;
}

export interface PreChecksInput extends TransitionInput {
  transportHome: PreChecks['transportHome'];
  escortName?: string | null;
  lastFoodAt?: Date | null;
  lastLiquidsAt?: Date | null;
  pregnancyStatus?: PreChecks['pregnancyStatus'];
  cssrsScreener: PreChecks['cssrsScreener'];
  notes?: string | null;
  anesthesiologistUserId?: string;
}

export interface StartInput extends TransitionInput {
  doseMgPerKg?: number;
  doseMg?: number;
  concentrationMgPerMl?: number;
  /** The lot given, typed; with `containerId`, the container's (and a lot typed must be it). */
  lotNumber?: string;
  /** The controlled-substance container (vial or kit) the dose is drawn from: the ledger records the draw. */
  containerId?: string;
  overrides?: { code: string; reason: string }[];
}

/** The end of dosing or its abort. */
export interface EndDosingInput extends TransitionInput {
  /** IV: the volume measured left in the bag (mL); the delivered dose is then drawn − left. */
  bagRemainingMl?: number | null;
}

export interface DoseChangeInput {
  rateMlPerH: number;
  reason: string;
  occurredAt?: Date;
}
