import { localParts, zonedTimeToUtc } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { expectPagingRefusals, walkPages } from './support/paging.js';
import { consentedPatient } from './support/sessions.js';

const api = '/api/v1';
const TZ = 'America/New_York'; // the factories' clinic zone

/** The next Tuesday at least a week ahead, as the clinic's calendar date. */
function nextTuesday(): string {
  for (let d = 7; d < 15; d++) {
    const p = localParts(new Date(Date.now() + d * 86_400_000), TZ);
    if (p.weekday === 'tue') return p.date;
  }
  throw new Error('no Tuesday');
}

describe('chairs and appointments', () => {
  let t: TestApp;
  let a: Staff;
  let chairId: string;
  let otherChair: string;
  const day = nextTuesday();
  const at = (time: string) => zonedTimeToUtc(day, time, TZ).toISOString();
  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    chairId = (await t.http.post(`${api}/chairs`).set(bearer(a.token.admin)).send({ name: 'Chair 1' }).expect(201)).body.id;
    otherChair = (await t.http.post(`${api}/chairs`).set(bearer(a.token.admin)).send({ name: 'Chair 2' }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  const book = (body: Record<string, unknown>) =>
    t.http
      .post(`${api}/appointments`)
      .set(bearer(a.token.admin))
      .send({ protocol: 'ketamine-iv-standard', chairId, ...body });

  it('only administrators manage chairs and book', async () => {
    await t.http.post(`${api}/chairs`).set(bearer(a.token.nurse)).send({ name: 'Chair 9' }).expect(403);
    const p = await createPatient(t.http, a.token.nurse);
    await t.http
      .post(`${api}/appointments`)
      .set(bearer(a.token.nurse))
      .send({ patientId: p.id, chairId, protocol: 'ketamine-iv-standard', startsAt: at('08:00') })
      .expect(403);
    const dup = await t.http.post(`${api}/chairs`).set(bearer(a.token.admin)).send({ name: 'Chair 1' }).expect(409);
    expect(dup.body.details[0].field).toBe('name');
  });

  it('holds the chair for dosing + minimum observation + turnover (IV: 40 + 30 + 15 min)', async () => {
    const p = await createPatient(t.http, a.token.nurse);
    const res = await book({ patientId: p.id, startsAt: at('08:00') }).expect(201);
    expect(new Date(res.body.endsAt).getTime() - new Date(res.body.startsAt).getTime()).toBe(85 * 60_000);
    const esk = await book({
      patientId: (await createPatient(t.http, a.token.nurse)).id,
      chairId: otherChair,
      protocol: 'esketamine-trd',
      startsAt: at('08:00'),
    }).expect(201);
    // Esketamine: 120 minutes from the first device (label) + 15 turnover.
    expect(new Date(esk.body.endsAt).getTime() - new Date(esk.body.startsAt).getTime()).toBe(135 * 60_000);
  });

  it('20 overlapping bookings of one chair fired at once: exactly one is booked', async () => {
    const patients = await Promise.all(Array.from({ length: 20 }, () => createPatient(t.http, a.token.nurse)));
    const results = await Promise.all(patients.map((p, i) => book({ patientId: p.id, startsAt: at(`12:${String(i).padStart(2, '0')}`) })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(new Set(results.filter((r) => r.status === 409).map((r) => r.body.code))).toEqual(new Set(['CHAIR_DOUBLE_BOOKED']));
  });

  it('a patient cannot hold two overlapping appointments; outside opening hours is 422; a cancelled slot can be booked again', async () => {
    const p = await createPatient(t.http, a.token.nurse);
    const first = await book({ patientId: p.id, startsAt: at('14:00') }).expect(201);
    const twice = await book({ patientId: p.id, chairId: otherChair, startsAt: at('14:30') }).expect(409);
    expect(twice.body.code).toBe('PATIENT_DOUBLE_BOOKED');
    const early = await book({ patientId: p.id, startsAt: at('07:00') }).expect(422);
    expect(early.body.code).toBe('OUTSIDE_OPENING_HOURS');
    await book({ patientId: p.id, startsAt: at('17:00') }).expect(422); // would end at 18:25
    await t.http
      .post(`${api}/appointments/${first.body.id}/cancel`)
      .set(bearer(a.token.admin))
      .send({ reason: 'patient asked' })
      .expect(200);
    const other = await createPatient(t.http, a.token.nurse);
    await book({ patientId: other.id, startsAt: at('14:00') }).expect(201);
  });

  it('the day per chair shows appointments and free time', async () => {
    const res = await t.http.get(`${api}/schedule?date=${day}`).set(bearer(a.token.admin)).expect(200);
    expect(res.body.openingHours).toEqual([['08:00', '18:00']]);
    const chair1 = res.body.chairs.find((c: { chairId: string }) => c.chairId === chairId);
    expect(chair1.appointments.length).toBeGreaterThanOrEqual(3);
    // Each appointment names its patient.
    for (const x of chair1.appointments as { patient: { firstName: string; mrn: string } }[])
      expect(x.patient).toEqual({ firstName: 'Ana', lastName: 'Souza', mrn: expect.stringMatching(/^MRN-/) });
    // Free from the end of the 08:00 appointment to the start of the next one (whichever of the 20 racing bookings won).
    const next = (chair1.appointments as { startsAt: string }[])
      .map((x) => x.startsAt)
      .filter((x) => x > at('09:25'))
      .sort()[0];
    expect(chair1.free[0]).toEqual({ from: at('09:25'), to: next });
  });

  it('a session booked from an appointment follows it; withdrawn consent flags the future appointments', async () => {
    const patientId = await consentedPatient(t.http, a);
    const appt = await book({ patientId, chairId: otherChair, startsAt: at('15:00') }).expect(201);
    const s = await t.http
      .post(`${api}/sessions`)
      .set(bearer(a.token.nurse))
      .send({ patientId, protocol: 'ketamine-iv-standard', appointmentId: appt.body.id })
      .expect(201);
    await t.http.post(`${api}/sessions/${s.body.id}/check-in`).set(bearer(a.token.nurse)).send({}).expect(200);
    const again = await t.http
      .post(`${api}/sessions`)
      .set(bearer(a.token.nurse))
      .send({ patientId, protocol: 'ketamine-iv-standard', appointmentId: appt.body.id })
      .expect(400);
    expect(again.body.details[0].field).toBe('appointmentId');
    const second = (
      await t.http.post(`${api}/sessions`).set(bearer(a.token.nurse)).send({ patientId, protocol: 'ketamine-iv-standard' }).expect(201)
    ).body as { id: string };
    const busy = await t.http.post(`${api}/sessions/${second.id}/check-in`).set(bearer(a.token.nurse)).send({}).expect(409);
    expect(busy.body.code).toBe('PATIENT_HAS_ACTIVE_SESSION');
    const list = await t.http
      .get(`${api}/appointments?from=${at('00:00')}&to=${at('23:59')}&patientId=${patientId}`)
      .set(bearer(a.token.nurse))
      .expect(200);
    expect(list.body.items[0]).toMatchObject({ status: 'checked-in', sessionId: s.body.id });

    const later = await consentedPatient(t.http, a);
    const future = await book({ patientId: later, startsAt: at('16:00') }).expect(201);
    const consents = await t.http.get(`${api}/patients/${later}/consents`).set(bearer(a.token.nurse)).expect(200);
    await t.http
      .post(`${api}/patients/${later}/consents/${consents.body.items[0].id}/withdraw`)
      .set(bearer(a.token.nurse))
      .send({ reason: 'changed mind' })
      .expect(200);
    const flagged = await t.http
      .get(`${api}/appointments?from=${at('00:00')}&to=${at('23:59')}&patientId=${later}`)
      .set(bearer(a.token.admin))
      .expect(200);
    expect(flagged.body.items).toEqual([expect.objectContaining({ id: future.body.id, flags: ['consent-withdrawn'] })]);
  });

  it('books a whole induction series at 09:00 local, across the March daylight-saving change', async () => {
    const p = await createPatient(t.http, a.token.nurse);
    const res = await t.http
      .post(`${api}/patients/${p.id}/series`)
      .set(bearer(a.token.admin))
      .send({ protocol: 'ketamine-iv-standard', startDate: '2027-03-08', preferredTime: '09:00' })
      .expect(201);
    expect(res.body.series).toMatchObject({ sessionsPlanned: 6, preferredTime: '09:00' });
    const local = res.body.appointments.map((x: { startsAt: string }) => localParts(new Date(x.startsAt), TZ));
    expect(local.map((l: { date: string }) => l.date)).toEqual([
      '2027-03-08',
      '2027-03-10',
      '2027-03-12',
      '2027-03-15',
      '2027-03-17',
      '2027-03-19',
    ]);
    expect(new Set(local.map((l: { time: string }) => l.time))).toEqual(new Set(['09:00']));
    // EST before 14 March (UTC-5), EDT after (UTC-4): the instants move, the wall clock does not.
    expect(res.body.appointments[0].startsAt).toBe('2027-03-08T14:00:00.000Z');
    expect(res.body.appointments[3].startsAt).toBe('2027-03-15T13:00:00.000Z');
    const noShow = () =>
      t.http.post(`${api}/appointments/${res.body.appointments[0].id}/no-show`).set(bearer(a.token.admin)).send({ reason: 'did not come' });
    // Not before its time (a patient is a no-show only once the appointment has begun).
    expect((await noShow().expect(422)).body.code).toBe('APPOINTMENT_NOT_YET_DUE');
    await t.runtime.dataSource.query(
      `UPDATE appointments SET starts_at = now() - interval '2 hours', ends_at = now() - interval '1 hour' WHERE id = $1`,
      [res.body.appointments[0].id],
    );
    await noShow().expect(200);
    const progress = await t.http.get(`${api}/patients/${p.id}/series`).set(bearer(a.token.nurse)).expect(200);
    expect(progress.body.items).toEqual([
      expect.objectContaining({ sessionsPlanned: 6, completed: 0, missed: 1, ahead: 5, status: 'active' }),
    ]);
  });

  it('a series that cannot be placed books nothing and answers 409 with the dates and nearest free times', async () => {
    const blocker = await createPatient(t.http, a.token.nurse);
    await book({ patientId: blocker.id, startsAt: zonedTimeToUtc('2027-04-07', '09:30', TZ).toISOString() }).expect(201);
    const p = await createPatient(t.http, a.token.nurse);
    const res = await t.http
      .post(`${api}/patients/${p.id}/series`)
      .set(bearer(a.token.admin))
      .send({ protocol: 'ketamine-iv-standard', startDate: '2027-04-05', preferredTime: '09:00', chairId })
      .expect(409);
    expect(res.body.code).toBe('SERIES_UNPLACEABLE');
    expect(res.body.details).toEqual([expect.objectContaining({ date: '2027-04-07', reason: 'CHAIR_DOUBLE_BOOKED' })]);
    const alternatives = res.body.details[0].alternatives as { startsAt: string }[];
    expect(alternatives.length).toBeGreaterThan(0);
    // The blocker holds the chair 09:30–10:55: 08:00 still fits before it, then 11:00 and 11:15 after (15-minute steps).
    expect(alternatives.map((x) => localParts(new Date(x.startsAt), TZ).time)).toEqual(['08:00', '11:00', '11:15']);
    const none = await t.http
      .get(`${api}/appointments?from=2027-04-01T00:00:00Z&to=2027-05-01T00:00:00Z&patientId=${p.id}`)
      .set(bearer(a.token.admin))
      .expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it('pages chairs by name, appointments by start time (at most 31 days), a patient’s series in the order booked', async () => {
    const c = await clinicWithStaff(t.runtime.dataSource, t.http);
    const admin = c.token.admin;
    const chairs: string[] = [];
    for (const name of ['Recliner E', 'Recliner B', 'Recliner D', 'Recliner A', 'Recliner C'])
      chairs.push((await t.http.post(`${api}/chairs`).set(bearer(admin)).send({ name }).expect(201)).body.id);
    const names = await walkPages<{ name: string }>(t.http, `${api}/chairs`, admin, 2);
    expect(names.map((x) => x.name)).toEqual(['Recliner A', 'Recliner B', 'Recliner C', 'Recliner D', 'Recliner E']);
    await expectPagingRefusals(t.http, `${api}/chairs`, admin);

    // Two at each time in different chairs: the id orders those that start together.
    const booked: { id: string; startsAt: string }[] = [];
    for (const [i, time] of ['10:00', '08:00', '14:00', '08:00', '10:00'].entries()) {
      const p = await createPatient(t.http, c.token.nurse);
      const res = await t.http
        .post(`${api}/appointments`)
        .set(bearer(admin))
        .send({ patientId: p.id, chairId: chairs[i], protocol: 'ketamine-iv-standard', startsAt: at(time) })
        .expect(201);
      booked.push(res.body);
    }
    const range = `${api}/appointments?from=${at('00:00')}&to=${at('23:59')}`;
    const listed = await walkPages<{ id: string; startsAt: string }>(t.http, range, c.token.nurse, 2);
    expect(new Set(listed.map((x) => x.id))).toEqual(new Set(booked.map((x) => x.id)));
    expect(listed.map((x) => x.startsAt)).toEqual(booked.map((x) => x.startsAt).sort());
    expect((await walkPages<{ id: string }>(t.http, range, c.token.nurse, 1)).map((x) => x.id)).toEqual(listed.map((x) => x.id));
    await expectPagingRefusals(t.http, range, c.token.nurse);
    const from = new Date(at('00:00'));
    const wide = await t.http
      .get(`${api}/appointments?from=${from.toISOString()}&to=${new Date(from.getTime() + 32 * 86_400_000).toISOString()}`)
      .set(bearer(c.token.nurse))
      .expect(400);
    expect(wide.body.details).toEqual([expect.objectContaining({ field: 'to' })]);
    await t.http
      .get(`${api}/appointments?from=${from.toISOString()}&to=${new Date(from.getTime() + 31 * 86_400_000).toISOString()}`)
      .set(bearer(c.token.nurse))
      .expect(200);

    const p = await createPatient(t.http, c.token.nurse);
    for (const startDate of ['2027-09-06', '2027-06-07', '2027-07-12']) {
      await t.http
        .post(`${api}/patients/${p.id}/series`)
        .set(bearer(admin))
        .send({ protocol: 'ketamine-iv-standard', startDate, preferredTime: '09:00' })
        .expect(201);
      // One active induction at a time: the previous one is over before the next is booked.
      await t.runtime.dataSource.query(`UPDATE treatment_series SET status = 'completed' WHERE patient_id = $1`, [p.id]);
    }
    const series = await walkPages<{ startDate: string }>(t.http, `${api}/patients/${p.id}/series`, c.token.nurse, 2);
    expect(series.map((x) => x.startDate)).toEqual(['2027-09-06', '2027-06-07', '2027-07-12']);
    await expectPagingRefusals(t.http, `${api}/patients/${p.id}/series`, c.token.nurse);
  });
});
