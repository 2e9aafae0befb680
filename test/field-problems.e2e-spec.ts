import { randomUUID } from 'node:crypto';
import type { Role } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createUser, patientBody, type Staff } from './support/factories.js';
import { sessionAt, vitals } from './support/sessions.js';

const api = '/api/v1';
type Details = Array<{ field: string; message: string }>;

describe('a refused body names each bad field once, clearly', () => {
  let t: TestApp;
  let s: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  it('a missing required field gets one message, "… is required", not one per constraint', async () => {
    const { mrn: _mrn, firstName: _first, ...body } = patientBody();
    const res = await t.http.post(`${api}/patients`).set(bearer(s.token.nurse)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { field: 'mrn', message: 'mrn is required' },
      { field: 'firstName', message: 'firstName is required' },
    ]);
  });

  it('a value of the wrong kind is told so once, without its length or range', async () => {
    const res = await t.http
      .post(`${api}/patients`)
      .set(bearer(s.token.nurse))
      .send(patientBody({ mrn: 42, weightKg: 'heavy' }));
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { field: 'mrn', message: 'mrn must be a string' },
      { field: 'weightKg', message: expect.stringContaining('must be a number') as string },
    ]);
  });

  it.each([
    ['a timestamp', { weightMeasuredAt: 'yesterday' }, 'weightMeasuredAt'],
    ['a calendar date', { dateOfBirth: 'May 17th' }, 'dateOfBirth'],
  ])('%s that is not one is told so in one message', async (_kind, extra, field) => {
    const res = await t.http.post(`${api}/patients`).set(bearer(s.token.nurse)).send(patientBody(extra));
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field, message: expect.stringContaining(`${field} must be`) as string }]);
  });

  it('a device reading without deviceId is told that a device reading needs its device', async () => {
    const id = await sessionAt(t.http, s, 'checked_in');
    const res = await t.http
      .post(`${api}/sessions/${id}/vitals`)
      .set(bearer(s.token.nurse))
      .send(vitals({ source: 'device' }));
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { field: 'deviceId', message: 'a device reading needs its device: source=device requires deviceId' },
    ]);
    const batch = await t.http
      .post(`${api}/sessions/${id}/vitals/batch`)
      .set(bearer(s.token.nurse))
      .send({ readings: [vitals({ source: 'device', deviceId: 'mon-1' }), vitals({ source: 'device' })] });
    expect(batch.status).toBe(400);
    expect((batch.body.details as Details).map((d) => d.field)).toEqual(['readings[1].deviceId']);
  });
});

describe("every bad field is named at once, the service's checks with the form's", () => {
  let t: TestApp;
  let s: Staff;
  const fields = (res: { body: { details: Details } }) => res.body.details.map((d) => d.field).sort();
  const tomorrow = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
  beforeAll(async () => {
    t = await startTestApp();
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  it('a patient of 500 kg born in the future: one 400 naming weightKg and dateOfBirth', async () => {
    const res = await t.http
      .post(`${api}/patients`)
      .set(bearer(s.token.nurse))
      .send(patientBody({ weightKg: 500, dateOfBirth: tomorrow() }));
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['dateOfBirth', 'weightKg']);
    expect(res.body.message).toBe('Invalid input: weightKg, dateOfBirth');
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'a future birth date and an email preference without an address',
      { dateOfBirth: tomorrow(), contactPreference: 'email' },
      ['contactPreference', 'dateOfBirth'],
    ],
    ['a 12-year-old weighed in an hour', { dateOfBirth: '2020-01-01', weightMeasuredAt: inAnHour() }, ['dateOfBirth', 'weightMeasuredAt']],
    ['an email preference with a malformed address: only the address', { contactPreference: 'email', email: 'not-an-address' }, ['email']],
    ['a missing name and a future weighing', { firstName: undefined, weightMeasuredAt: inAnHour() }, ['firstName', 'weightMeasuredAt']],
  ])('registration: %s', async (_label, extra, expected) => {
    const res = await t.http.post(`${api}/patients`).set(bearer(s.token.nurse)).send(patientBody(extra));
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(expected);
  });

  it('an edit with an empty MRN and a future birth date names both; with a phone preference and no number, that too', async () => {
    const p = await t.http
      .post(`${api}/patients`)
      .set(bearer(s.token.nurse))
      .send(patientBody({ phone: null }));
    const res = await t.http
      .patch(`${api}/patients/${p.body.id}`)
      .set(bearer(s.token.nurse))
      .send({ version: 1, mrn: '', dateOfBirth: tomorrow(), contactPreference: 'phone' });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['contactPreference', 'dateOfBirth', 'mrn']);
  });

  it('a weight of 2,000 lb measured in an hour names value and measuredAt', async () => {
    const p = await t.http.post(`${api}/patients`).set(bearer(s.token.nurse)).send(patientBody());
    const res = await t.http
      .post(`${api}/patients/${p.body.id}/weights`)
      .set(bearer(s.token.nurse))
      .send({ value: 2000, unit: 'lb', measuredAt: inAnHour() });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['measuredAt', 'value']);
  });

  describe('on every create and update route whose service checks fields after the form', () => {
    const unknownId = randomUUID();
    const past = () => new Date(Date.now() - 86_400_000).toISOString();
    const ids = { patient: '', session: '' };
    beforeAll(async () => {
      ids.patient = (await t.http.post(`${api}/patients`).set(bearer(s.token.nurse)).send(patientBody())).body.id as string;
      ids.session = await sessionAt(t.http, s, 'checked_in');
    });
    const badThresholds = { systolic: { high: { warning: 'high' } } };

    it.each<[string, Role, 'post' | 'patch' | 'put', () => string, () => Record<string, unknown>, string[]]>([
      [
        'POST /appointments: a malformed chair id, an unknown patient, a start in the past',
        'admin',
        'post',
        () => '/appointments',
        () => ({ patientId: unknownId, chairId: 'chair-1', protocol: 'ketamine-iv-standard', startsAt: past() }),
        ['chairId', 'patientId', 'startsAt'],
      ],
      [
        'POST /appointments/:id/move: a malformed chair id and a start in the past',
        'admin',
        'post',
        () => `/appointments/${unknownId}/move`,
        () => ({ chairId: 'chair-1', startsAt: past() }),
        ['chairId', 'startsAt'],
      ],
      [
        'POST /patients/:id/series: a bad time, an unknown protocol and chair, a past start',
        'admin',
        'post',
        () => `/patients/${ids.patient}/series`,
        () => ({ protocol: 'ketamine-nope', startDate: '2001-01-02', preferredTime: '25:00', chairId: unknownId }),
        ['chairId', 'preferredTime', 'protocol', 'startDate'],
      ],
      [
        'POST /sessions: a malformed appointment id, an unknown patient and protocol',
        'nurse',
        'post',
        () => '/sessions',
        () => ({ patientId: unknownId, protocol: 'ketamine-nope', appointmentId: 'appt-1' }),
        ['appointmentId', 'patientId', 'protocol'],
      ],
      [
        'POST /patients/:id/assessments: a malformed time and an item out of range',
        'nurse',
        'post',
        () => `/patients/${ids.patient}/assessments`,
        () => ({ instrument: 'PHQ9', items: [0, 0, 0, 0, 0, 0, 0, 0, 7], administeredAt: 'yesterday' }),
        ['administeredAt', 'items[8]'],
      ],
      [
        'POST /sessions/:id/observation-checks: an unknown answer and a check an hour old',
        'nurse',
        'post',
        () => `/sessions/${ids.session}/observation-checks`,
        () => ({ dissociation: 'gone', checkedAt: new Date(Date.now() - 3_600_000).toISOString() }),
        ['checkedAt', 'dissociation'],
      ],
      [
        'POST /sessions/:id/adverse-events: an unknown severity and an onset in an hour',
        'nurse',
        'post',
        () => `/sessions/${ids.session}/adverse-events`,
        () => ({ kind: 'nausea-vomiting', severity: 'awful', onsetAt: inAnHour(), actionTaken: 'ondansetron', outcome: 'ongoing' }),
        ['onsetAt', 'severity'],
      ],
      [
        'PATCH /sessions/:id/adverse-events/:eventId: an unknown outcome and a resolution in an hour',
        'nurse',
        'patch',
        () => `/sessions/${ids.session}/adverse-events/${unknownId}`,
        () => ({ outcome: 'better', resolvedAt: inAnHour() }),
        ['outcome', 'resolvedAt'],
      ],
      [
        'PUT /patients/:id/thresholds: no reason and a threshold that is not a number',
        'anesthesiologist',
        'put',
        () => `/patients/${ids.patient}/thresholds`,
        () => ({ thresholds: badThresholds }),
        ['reason', 'thresholds.systolic.high.warning'],
      ],
      [
        'PATCH /thresholds: no reason and a threshold that is not a number',
        'anesthesiologist',
        'patch',
        () => '/thresholds',
        () => ({ thresholds: badThresholds }),
        ['reason', 'thresholds.systolic.high.warning'],
      ],
      [
        'PATCH /protocols/:key: no reason and a threshold that is not a number',
        'anesthesiologist',
        'patch',
        () => '/protocols/ketamine-iv-standard',
        () => ({ thresholds: badThresholds }),
        ['reason', 'thresholds.systolic.high.warning'],
      ],
      [
        'POST /patients/:id/consents: a malformed form id and a signature in an hour',
        'nurse',
        'post',
        () => `/patients/${ids.patient}/consents`,
        () => ({ formId: 'form-1', signedAt: inAnHour(), signedByName: 'Ana Souza', method: 'in-person' }),
        ['formId', 'signedAt'],
      ],
      [
        'PUT /patients/:id/contraindications: an empty allergy and an item answered twice',
        'nurse',
        'put',
        () => `/patients/${ids.patient}/contraindications`,
        () => ({
          answers: [
            { item: 'psychosis-history', present: true },
            { item: 'psychosis-history', present: false },
          ],
          allergies: [{ substance: '' }],
        }),
        ['allergies[0].substance', 'answers'],
      ],
    ])('%s', async (_label, role, method, path, body, expected) => {
      const res = await t.http[method](`${api}${path()}`).set(bearer(s.token[role])).send(body());
      expect(res.status).toBe(400);
      expect(fields(res)).toEqual(expected);
    });
  });
});

describe('an edit of a patient or a user sends the version it read', () => {
  let t: TestApp;
  let s: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  it.each<[string, () => Promise<string>, Record<string, unknown>]>([
    [
      'PATCH /patients/:id',
      async () => `/patients/${(await t.http.post(`${api}/patients`).set(bearer(s.token.admin)).send(patientBody())).body.id}`,
      { phone: '+1 555 0199' },
    ],
    ['PATCH /users/:id', async () => `/users/${(await createUser(t.runtime.dataSource, s.clinic.id, 'nurse')).id}`, { name: 'Rui Costa' }],
  ])('%s: 400 naming version without it, 409 STALE_VERSION with an old one, 200 with the current one', async (_route, record, change) => {
    const path = `${api}${await record()}`;
    const admin = bearer(s.token.admin);
    const missing = await t.http.patch(path).set(admin).send(change);
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([{ field: 'version', message: 'version is required' }]);
    const current = await t.http
      .patch(path)
      .set(admin)
      .send({ ...change, version: 1 });
    expect(current.status).toBe(200);
    expect(current.body.version).toBe(2);
    const stale = await t.http
      .patch(path)
      .set(admin)
      .send({ ...change, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('STALE_VERSION');
  });
});
