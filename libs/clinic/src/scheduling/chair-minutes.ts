import type { ProtocolVersion } from '../protocols/index.js';

/** Minutes a chair is held: dosing, then the minimum observation (esketamine: counted from the first device, label), then turnover. */
export function chairMinutes(
  protocol: Pick<ProtocolVersion, 'durationMin' | 'minObservationMin' | 'observationFrom' | 'doseRule'>,
  turnoverMin: number,
): number {
  const dosing =
    protocol.durationMin ??
    (protocol.doseRule.kind === 'fixed-devices'
      ? Math.max(...protocol.doseRule.allowedDosesMg.map((d) => d / (protocol.doseRule as { deviceMg: number }).deviceMg)) *
        protocol.doseRule.minutesBetweenDevices
      : 0);
  const occupied =
    protocol.observationFrom === 'first-dose' ? Math.max(dosing, protocol.minObservationMin) : dosing + protocol.minObservationMin;
  return occupied + turnoverMin;
}
