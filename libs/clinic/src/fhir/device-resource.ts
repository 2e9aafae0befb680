import { deviceLocationSystem, deviceSystem, mdc } from './codes.js';
import { metaOf, ref, type FhirResource } from './resource.js';

/** A registered bedside monitor (monitors). */
export interface DeviceRow {
  id: string;
  clinicId: string;
  name: string;
  chairId: string;
  eui64: string | null;
  location: string | null;
  retiredAt: Date | null;
  updatedAt: Date;
  version: number;
}

/**
 * A monitor as a Device: a multi-parameter physiological monitor (MDC 69965), identified by the
 * EUI-64 it reports (the identifier vital-sign Observations name it by) and/or the bed location its
 * gateway sends, at its chair; inactive once retired.
 */
export function toDevice(m: DeviceRow): FhirResource {
  const identifier = [
    ...(m.eui64 ? [{ system: deviceSystem(m.clinicId), value: m.eui64 }] : []),
    ...(m.location ? [{ system: deviceLocationSystem(m.clinicId), value: m.location }] : []),
  ];
  return {
    resourceType: 'Device',
    id: m.id,
    meta: metaOf(m.version, m.updatedAt),
    identifier,
    status: m.retiredAt ? 'inactive' : 'active',
    deviceName: [{ name: m.name, type: 'user-friendly-name' }],
    type: { coding: [mdc('69965', 'MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS')], text: 'Bedside monitor' },
    location: ref('Location', m.chairId),
  };
}
