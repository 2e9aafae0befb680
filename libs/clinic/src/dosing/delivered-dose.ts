import { roundTo } from './dose-math.js';

/**
 * The dose actually delivered (clinical-rules.md section 8), as pure functions: an infusion from its
 * pump history, an esketamine dose in whole devices, and how it compares with the order.
 */

/** What happened to the pump after the start, in time order; a rate is in mg/h (mL/h × the order's mg/mL). */
export type PumpEvent = { at: Date; kind: 'pause' } | { at: Date; kind: 'resume' } | { at: Date; kind: 'rate'; rateMgPerH: number };

export interface InfusionHistory {
  startedAt: Date;
  /** The end of dosing or its abort. */
  endedAt: Date;
  /** The rate the pump was started at (mg/h). */
  startRateMgPerH: number;
  events: PumpEvent[];
  /** What was drawn up: the bag cannot give more. */
  drawnMg: number;
}

/**
 * mg infused: each running stretch at its rate (a pause gives nothing; a rate changed while paused
 * applies from the resume), to the end or abort; never more than was drawn up; to 0.1 mg.
 */
export function infusedMg(h: InfusionHistory): number {
  const end = h.endedAt.getTime();
  let from = h.startedAt.getTime();
  let rate = h.startRateMgPerH;
  let running = true;
  let mg = 0;
  const run = (to: number) => {
    const until = Math.min(Math.max(to, from), end);
    if (running) mg += (rate * (until - from)) / 3_600_000;
    from = until;
  };
  for (const e of h.events) {
    run(e.at.getTime());
    if (e.kind === 'pause') running = false;
    else if (e.kind === 'resume') running = true;
    else rate = e.rateMgPerH;
  }
  run(end);
  return roundTo(Math.min(mg, h.drawnMg), 1);
}

/**
 * Esketamine is counted in devices, never by a rate: one device every `minutesBetweenDevices` from
 * the first (Spravato label: 5 minutes), so the devices due by the end or abort, at most those ordered.
 */
export function devicesGiven(d: { startedAt: Date; endedAt: Date; devices: number; minutesBetweenDevices: number }): number {
  const elapsedMin = (d.endedAt.getTime() - d.startedAt.getTime()) / 60_000;
  return Math.max(0, Math.min(d.devices, Math.floor(elapsedMin / d.minutesBetweenDevices + 1e-9) + 1));
}

export interface DoseReconciliation {
  orderedDoseMg: number;
  /** From the pump history (or the devices). */
  computedDoseMg: number;
  /** Measured: drawn − what the nurse measured left in the bag (null: not measured). */
  bagRemainingMl: number | null;
  measuredDoseMg: number | null;
  /** The figure of record: measured when measured, else computed. */
  deliveredDoseMg: number;
  /** delivered − ordered. */
  differenceMg: number;
  /** measured − computed (null: not measured). */
  measuredMinusComputedMg: number | null;
  /** The clinic's tolerance it was judged against, in % of the ordered dose. */
  tolerancePct: number;
  /** The difference exceeds the tolerance: a reason is required. */
  beyondTolerance: boolean;
}

/**
 * Reconciles the delivered dose with the order (the dose drawn up), `concentrationMgPerMl` that of the
 * bag. A delivered dose more than `tolerancePct` % from the order needs a reason: the clinic setting
 * `deliveredDoseTolerancePct` (CLINIC: 5, clinical-rules.md section 8).
 */
export function reconcileDose(input: {
  orderedDoseMg: number;
  computedDoseMg: number;
  bagRemainingMl: number | null;
  concentrationMgPerMl: number | null;
  tolerancePct: number;
}): DoseReconciliation {
  const { orderedDoseMg, computedDoseMg, bagRemainingMl, concentrationMgPerMl, tolerancePct } = input;
  const measuredDoseMg =
    bagRemainingMl !== null && concentrationMgPerMl ? roundTo(Math.max(0, orderedDoseMg - bagRemainingMl * concentrationMgPerMl), 1) : null;
  const deliveredDoseMg = measuredDoseMg ?? computedDoseMg;
  const differenceMg = roundTo(deliveredDoseMg - orderedDoseMg, 1);
  return {
    orderedDoseMg,
    computedDoseMg,
    bagRemainingMl: measuredDoseMg === null ? null : bagRemainingMl,
    measuredDoseMg,
    deliveredDoseMg,
    differenceMg,
    measuredMinusComputedMg: measuredDoseMg === null ? null : roundTo(measuredDoseMg - computedDoseMg, 1),
    tolerancePct,
    beyondTolerance: Math.abs(deliveredDoseMg - orderedDoseMg) > (orderedDoseMg * tolerancePct) / 100 + 1e-9,
  };
}
