import { fhirErrors } from '#test/fhir-validate';
import { toDevice, type DeviceRow } from './device-resource.js';
import { toLocation } from './location-resource.js';
import { toPractitioner } from './practitioner-resource.js';

/* Monitors, chairs and staff as Device, Location and Practitioner, validated by @medplum/core and FHIR.js. */

const CLINIC = '3b1f0c2e-8d4a-4c6b-9e1f-2a3b4c5d6e7f';
const ID = '0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b';
const CHAIR = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const at = new Date('2026-11-29T09:00:00.000Z');
type Resource = Record<string, unknown> & { resourceType: string };
const valid = (r: Resource) => expect(fhirErrors(r)).toEqual([]);

describe('FHIR Device from a monitor', () => {
  const monitor = (extra: Partial<DeviceRow>): DeviceRow => ({
    id: ID,
    clinicId: CLINIC,
    name: 'Bay 3 monitor',
    chairId: CHAIR,
    eui64: null,
    location: null,
    retiredAt: null,
    updatedAt: at,
    version: 1,
    ...extra,
  });
  it.each([
    ['known by its EUI-64', monitor({ eui64: '0009FBFFFE4A1C20' }), 'active', [`urn:vigil:clinic:${CLINIC}:device`]],
    ['known by its bed location', monitor({ location: 'ICU^BED3' }), 'active', [`urn:vigil:clinic:${CLINIC}:device-location`]],
    [
      'retired, known by both',
      monitor({ eui64: '0009FBFFFE4A1C20', location: 'ICU^BED3', retiredAt: at }),
      'inactive',
      [`urn:vigil:clinic:${CLINIC}:device`, `urn:vigil:clinic:${CLINIC}:device-location`],
    ],
  ])('%s: a valid Device (MDC 69965) at its chair, %s', (_label, row, status, systems) => {
    const d = toDevice(row);
    valid(d);
    expect(d).toMatchObject({
      status,
      type: { coding: [{ system: 'urn:iso:std:iso:11073:10101', code: '69965' }] },
      location: { reference: `Location/${CHAIR}` },
    });
    expect((d.identifier as { system: string }[]).map((i) => i.system)).toEqual(systems);
  });
});

describe('FHIR Location from a chair, Practitioner from a member of staff', () => {
  it.each([
    [true, 'active'],
    [false, 'inactive'],
  ])('a chair (active %s) is a valid Location, %s', (active, status) => {
    const l = toLocation({ id: CHAIR, name: 'Chair 3', active, createdAt: at });
    valid(l);
    expect(l).toMatchObject({ status, name: 'Chair 3', mode: 'instance' });
  });

  it.each([[true], [false]])('a member of staff (active %s) is a valid Practitioner with the name Vigil keeps', (active) => {
    const p = toPractitioner({ id: ID, name: 'Maria Lopes', active, updatedAt: at, version: 2 });
    valid(p);
    expect(p).toMatchObject({ active, name: [{ text: 'Maria Lopes' }], meta: { versionId: '2' } });
  });
});
