import type { PreChecks } from './session.entity.js';

export interface TransitionInput {
  occurredAt?: Date;
  reason?: string;
}

export interface CheckInInput extends TransitionInput {
  anesthesiologistUserId?: string;
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
  lotNumber: string;
  overrides?: { code: string; reason: string }[];
}

export interface EndDosingInput extends TransitionInput {
  deliveredDoseMg?: number;
}

export interface DoseChangeInput {
  rateMlPerH: number;
  reason: string;
  occurredAt?: Date;
}
