import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, patientBody, type Staff } from './support/factories.js';
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
