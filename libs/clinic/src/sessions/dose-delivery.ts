import { In, type EntityManager } from 'typeorm';
import { DomainError } from '#platform';
import { devicesGiven, infusedMg, reconcileDose, type DoseReconciliation, type PumpEvent } from '../dosing/index.js';
import type { ProtocolVersion } from '../protocols/index.js';
import { SessionEvent, type Session } from './session.entity.js';

const PUMP_EVENTS = ['start', 'pause', 'resume', 'rate-change'];

/** A pump rate in mg/h: mL/h × the order's mg/mL, or null when the order has no concentration. */
export const mgPerH = (rateMlPerH: number, concentrationMgPerMl: number | null): number | null =>
  concentrationMgPerMl ? rateMlPerH * concentrationMgPerMl : null;

/**
 * The dose this session delivered by `at` (the end of dosing or its abort), reconciled with the
 * dose drawn up (clinical-rules.md section 8): an infusion from its pump history on the timeline,
 * esketamine in whole devices, an injection whole. `bagRemainingMl` (IV only) makes it measured;
 * `tolerancePct` is the clinic's deliveredDoseTolerancePct.
 */
export async function deliveredDose(
  m: EntityManager,
  s: Session,
  protocol: ProtocolVersion,
  at: Date,
  given: { bagRemainingMl: number | null; tolerancePct: number },
): Promise<DoseReconciliation> {
  const { bagRemainingMl, tolerancePct } = given;
  const ordered = s.doseMg ?? 0;
  const rule = protocol.doseRule;
  if (bagRemainingMl !== null) bagProblem(s, rule.kind === 'fixed-devices', bagRemainingMl);
  let computed = ordered;
  if (rule.kind === 'fixed-devices' && s.dosingStartedAt && s.devices) {
    const devices = devicesGiven({
      startedAt: s.dosingStartedAt,
      endedAt: at,
      devices: s.devices,
      minutesBetweenDevices: rule.minutesBetweenDevices,
    });
    computed = devices * rule.deviceMg;
  } else if (s.dosingStartedAt && s.durationMin) {
    const { startRateMgPerH, events } = await pumpHistory(m, s);
    computed = infusedMg({ startedAt: s.dosingStartedAt, endedAt: at, startRateMgPerH, events, drawnMg: ordered });
  }
  return reconcileDose({
    orderedDoseMg: ordered,
    computedDoseMg: computed,
    bagRemainingMl,
    concentrationMgPerMl: s.concentrationMgPerMl,
    tolerancePct,
  });
}

/** The bag can be measured only for an infusion with a concentration, and holds no more than was drawn up. */
function bagProblem(s: Session, devices: boolean, left: number): void {
  const drawnMl = s.doseMg !== null && s.concentrationMgPerMl ? s.doseMg / s.concentrationMgPerMl : null;
  const message = devices
    ? 'esketamine is counted in devices: there is no bag'
    : drawnMl === null
      ? 'the order has no concentration: the volume left cannot be turned into mg'
      : left > drawnMl + 1e-9
        ? `more than the ${Math.round(drawnMl * 10) / 10} mL drawn up`
        : null;
  if (message) throw DomainError.validation([{ field: 'bagRemainingMl', message }]);
}

/** The start rate and every pause, resume and rate change after it, in the order charted. */
async function pumpHistory(m: EntityManager, s: Session): Promise<{ startRateMgPerH: number; events: PumpEvent[] }> {
  const rows = await m.find(SessionEvent, {
    where: { sessionId: s.id, type: In(PUMP_EVENTS) },
    order: { occurredAt: 'ASC', recordedAt: 'ASC' },
  });
  const planned = s.doseMg !== null && s.durationMin ? (s.doseMg * 60) / s.durationMin : 0;
  let startRateMgPerH = planned;
  const events: PumpEvent[] = [];
  for (const e of rows) {
    const data = e.data ?? {};
    if (e.type === 'start') {
      const dose = data['dose'] as { rateMgPerH?: number | null } | undefined;
      startRateMgPerH = dose?.rateMgPerH ?? planned;
    } else if (e.type === 'pause' || e.type === 'resume') events.push({ at: e.occurredAt, kind: e.type });
    else {
      const rate = (data['toRateMgPerH'] as number | null | undefined) ?? mgPerH(Number(data['toRateMlPerH']), s.concentrationMgPerMl);
      if (rate !== null && Number.isFinite(rate)) events.push({ at: e.occurredAt, kind: 'rate', rateMgPerH: rate });
    }
  }
  return { startRateMgPerH, events };
}
