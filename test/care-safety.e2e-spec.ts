import { localParts, zonedTimeToUtc } from '../libs/platform/src/index.js';
import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, patientBody, type Staff } from './support/factories.js';
import { consentedPatient, sessionAt } from './support/sessions.js';

const api = '/api/v1';
const TZ = 'America/New_York'; // the factories' clinic zone
const DAY = 86_400_000;

/**
 * What a real clinic day showed: suicide risk reviewed by an anesthesiologist wherever it is found,
 * no treatment after discharge from care (and re-admission), and an outcome baseline taken just
 * after the first dose (clinical-rules.md sections 5 and 7).
 */
describe('care safety: suicide risk review, discharge from care, outcome baseline', () => {
  let t: TestApp;
  let a: Staff;
  // 08:00 in the clinics' zone: bookings hours ahead and sessions stay within the day.
  const clock = MovableClock.at('08:00', 'America/New_York');
  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T[]>(sql, params);
  const phq9 = (items: number[], at: Date, sessionId?: string) => ({
    instrument: 'PHQ9',
    items,
    administeredAt: at.toISOString(),
    ...(sessionId && { sessionId }),
  });

  function weekdayAhead(days: number): string {
    for (let d = days; ; d++) {
      const date = localParts(new Date(clock.now().getTime() + d * DAY), TZ).date;
      const wd = localParts(zonedTimeToUtc(date, '12:00', TZ), TZ).weekday;
      if (wd !== 'sat' && wd !== 'sun') return date;
    }
  }

  describe('PHQ-9 item 9 above 0 is reviewed by an anesthesiologist, in the clinic or not', () => {
    const reviewTask = async (assessmentId: string) => {
      const rows = await q<{ id: string; assignee_role: string; status: string }>(
        `SELECT id, assignee_role, status FROM follow_ups WHERE subject_id = $1 AND kind = 'suicide-risk-review'`,
        [assessmentId],
      );
      return rows;
    };

    it.each([
      ['during a session in the clinic', true],
      ['outside a session', false],
    ])('%s: a task for the anesthesiologists that a nurse cannot close', async (_, inClinic) => {
      const patientId = await consentedPatient(t.http, a, {}, () => clock.now());
      const sessionId = inClinic
        ? await sessionAt(t.http, a, 'dosing', { patientId, baseline: { measuredAt: clock.now().toISOString() } })
        : undefined;
      const res = await post(
        `/patients/${patientId}/assessments`,
        a.token.nurse,
        phq9([1, 1, 1, 1, 0, 0, 0, 0, 1], clock.now(), sessionId),
      ).expect(201);
      const tasks = await reviewTask(res.body.id as string);
      expect(tasks).toEqual([expect.objectContaining({ assignee_role: 'anesthesiologist', status: 'due' })]);
      const id = tasks[0].id;
      await post(`/follow-ups/${id}/complete`, a.token.nurse, { note: 'spoke to the patient' }).expect(403);
      await post(`/follow-ups/${id}/cancel`, a.token.nurse, { reason: 'not needed' }).expect(403);
      await post(`/follow-ups/${id}/complete`, a.token.anesthesiologist, { note: 'assessed: safety plan in place' }).expect(200);
      expect((await reviewTask(res.body.id as string))[0].status).toBe('done');
    });
  });

  describe('discharge from care', () => {
    async function book(patientId: string, chairId: string, date: string, time = '14:00'): Promise<string> {
      const res = await post('/appointments', a.token.admin, {
        patientId,
        chairId,
        protocol: 'ketamine-iv-standard',
        startsAt: zonedTimeToUtc(date, time, TZ).toISOString(),
      }).expect(201);
      return res.body.id as string;
    }

    it('refuses new sessions and check-ins, cancels future bookings (freeing the chair), and re-admission lets treatment resume', async () => {
      const patientId = await consentedPatient(t.http, a, {}, () => clock.now());
      const earlier = (await post('/sessions', a.token.nurse, { patientId, protocol: 'ketamine-iv-standard' }).expect(201)).body as {
        id: string;
      };
      const chairId = ((await post('/chairs', a.token.admin, { name: `Care ${Math.random()}` }).expect(201)).body as { id: string }).id;
      const date = weekdayAhead(3);
      const booked = await book(patientId, chairId, date);

      const res = await post(`/patients/${patientId}/discharge-from-care`, a.token.anesthesiologist, { reason: 'moved away' }).expect(200);
      expect(res.body).toEqual({ stoppedSeries: [], flaggedAppointments: 1, cancelledAppointments: [booked] });
      const [appointment] = await q(`SELECT status, flags FROM appointments WHERE id = $1`, [booked]);
      expect(appointment).toEqual({ status: 'cancelled', flags: ['patient-discharged-from-care'] });
      // The chair is free again for someone else.
      const other = await consentedPatient(t.http, a, {}, () => clock.now());
      await book(other, chairId, date);

      const refused = await post('/sessions', a.token.nurse, { patientId, protocol: 'ketamine-iv-standard' }).expect(422);
      expect(refused.body.code).toBe('PATIENT_DISCHARGED_FROM_CARE');
      const checkIn = await post(`/sessions/${earlier.id}/check-in`, a.token.nurse, { chairLabel: 'Chair 1' }).expect(422);
      expect(checkIn.body.code).toBe('PATIENT_DISCHARGED_FROM_CARE');

      await post(`/patients/${patientId}/readmit`, a.token.nurse, { reason: 'back in town' }).expect(403);
      await post(`/patients/${patientId}/readmit`, a.token.admin, {}).expect(400);
      const readmitted = await post(`/patients/${patientId}/readmit`, a.token.anesthesiologist, { reason: 'back in town' }).expect(200);
      expect(readmitted.body).toMatchObject({ careStatus: 'active', dischargedFromCareAt: null, dischargedFromCareReason: null });
      await post(`/patients/${patientId}/readmit`, a.token.admin, { reason: 'again' }).expect(409);
      const [audit] = await q(`SELECT changes FROM audit_events WHERE action = 'patient.readmit' AND resource_id = $1`, [patientId]);
      expect(audit).toEqual({ changes: expect.objectContaining({ reason: 'back in town', dischargedFromCareReason: 'moved away' }) });
      await post('/sessions', a.token.nurse, { patientId, protocol: 'ketamine-iv-standard' }).expect(201);
      await post(`/sessions/${earlier.id}/check-in`, a.token.nurse, { chairLabel: 'Chair 1' }).expect(200);
    });
  });

  describe('bookings and records', () => {
    let c: Staff;
    const ALL_DAY = [['00:00', '23:59']];
    beforeAll(async () => {
      c = await clinicWithStaff(t.runtime.dataSource, t.http);
      const week = { sun: ALL_DAY, mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY };
      await t.http
        .patch(`${api}/clinic-settings`)
        .set(bearer(c.token.admin))
        .send({ openingHours: week, reason: 'open every hour for these checks' })
        .expect(200);
    });
    afterEach(() => clock.reset());
    /** A booking `hoursAhead` from now, on the hour (the clinic is open all day). */
    async function bookIn(hoursAhead: number): Promise<{ id: string; patientId: string; startsAt: Date }> {
      const patientId = await consentedPatient(t.http, c, {}, () => clock.now());
      const chair = (await post('/chairs', c.token.admin, { name: `Day ${Math.random()}` }).expect(201)).body as { id: string };
      const startsAt = new Date(Math.ceil((clock.now().getTime() + hoursAhead * 3600_000) / 3600_000) * 3600_000);
      const res = await post('/appointments', c.token.admin, {
        patientId,
        chairId: chair.id,
        protocol: 'ketamine-iv-standard',
        startsAt: startsAt.toISOString(),
      }).expect(201);
      return { id: res.body.id as string, patientId, startsAt };
    }
    const reminderDue = async (appointmentId: string) =>
      (
        await q<{ due_at: Date }>(
          `SELECT due_at FROM pending_work WHERE kind = 'appointment-reminder' AND subject_id = $1 AND status = 'pending'`,
          [appointmentId],
        )
      ).map((r) => r.due_at.getTime());

    it.each([
      ['3 hours ahead (short notice): at once', 3, true],
      ['48 hours ahead: 24 hours before', 48, false],
    ])('a booking %s gets its reminder', async (_, hours, atOnce) => {
      const before = clock.now().getTime();
      const { id, startsAt } = await bookIn(hours);
      const [due] = await reminderDue(id);
      const expected = atOnce ? clock.now().getTime() : startsAt.getTime() - 24 * 3600_000;
      expect(Math.abs(due - expected)).toBeLessThan(atOnce ? clock.now().getTime() - before + 2000 : 1);
    });

    describe('induction series', () => {
      const today = () => localParts(clock.now(), TZ).date;
      const series = (patientId: string, startDate: string, preferredTime = '10:00') =>
        post(`/patients/${patientId}/series`, c.token.admin, { protocol: 'ketamine-iv-standard', startDate, preferredTime });

      it('a start in the past is refused on startDate (400)', async () => {
        const patientId = await consentedPatient(t.http, c, {}, () => clock.now());
        const yesterday = localParts(new Date(clock.now().getTime() - DAY), TZ).date;
        const res = await series(patientId, yesterday).expect(400);
        expect(res.body.details).toEqual([{ field: 'startDate', message: `must not be in the past (the clinic's today is ${today()})` }]);
      });

      it('a patient holds one active induction series at a time (409)', async () => {
        const patientId = await consentedPatient(t.http, c, {}, () => clock.now());
        await series(patientId, weekdayAhead(20)).expect(201);
        const res = await series(patientId, weekdayAhead(40)).expect(409);
        expect(res.body.code).toBe('SERIES_ALREADY_ACTIVE');
      });

      it('the alternatives offered for a date that cannot be placed are never in the past', async () => {
        // The chair is taken today in 30 minutes: the nearest free times before it have passed, only later ones are offered.
        const chair = (await post('/chairs', c.token.admin, { name: `Alt ${Math.random()}` }).expect(201)).body as { id: string };
        const at = new Date(Math.ceil((clock.now().getTime() + 30 * 60_000) / (15 * 60_000)) * 15 * 60_000);
        const local = localParts(at, TZ);
        const blocker = await consentedPatient(t.http, c, {}, () => clock.now());
        await post('/appointments', c.token.admin, {
          patientId: blocker,
          chairId: chair.id,
          protocol: 'ketamine-iv-standard',
          startsAt: at.toISOString(),
        }).expect(201);
        const patientId = await consentedPatient(t.http, c, {}, () => clock.now());
        const res = await post(`/patients/${patientId}/series`, c.token.admin, {
          protocol: 'ketamine-iv-standard',
          startDate: local.date,
          preferredTime: local.time,
          chairId: chair.id,
        }).expect(409);
        const first = (res.body.details as { date: string; alternatives: { startsAt: string }[] }[]).find((d) => d.date === local.date);
        expect(first?.alternatives.length).toBeGreaterThan(0);
        for (const alt of first!.alternatives) expect(new Date(alt.startsAt).getTime()).toBeGreaterThan(clock.now().getTime());
      });
    });

    it('closures: administrators close a day; no booking on it, a series skips it; reopened, it books again', async () => {
      const day = weekdayAhead(60);
      await post('/closures', c.token.nurse, { date: day, reason: 'public holiday' }).expect(403);
      const closed = await post('/closures', c.token.admin, { date: day, reason: 'public holiday' }).expect(201);
      expect(closed.body).toMatchObject({ date: day, reason: 'public holiday', bookedThatDay: 0 });
      await post('/closures', c.token.admin, { date: day, reason: 'again' }).expect(409);
      const list = await t.http.get(`${api}/closures?from=${day}`).set(bearer(c.token.admin)).expect(200);
      expect(list.body.items.map((x: { date: string }) => x.date)).toEqual([day]);

      const patientId = await consentedPatient(t.http, c, {}, () => clock.now());
      const chair = (await post('/chairs', c.token.admin, { name: `Closed ${Math.random()}` }).expect(201)).body as { id: string };
      const body = {
        patientId,
        chairId: chair.id,
        protocol: 'ketamine-iv-standard',
        startsAt: zonedTimeToUtc(day, '10:00', TZ).toISOString(),
      };
      const refused = await post('/appointments', c.token.admin, body).expect(422);
      expect(refused.body.code).toBe('CLINIC_CLOSED');
      const series = await post(`/patients/${patientId}/series`, c.token.admin, {
        protocol: 'ketamine-iv-standard',
        startDate: day,
        preferredTime: '10:00',
        chairId: chair.id,
      }).expect(201);
      const dates = (series.body.appointments as { startsAt: string }[]).map((x) => localParts(new Date(x.startsAt), TZ).date);
      expect(dates).toHaveLength(6);
      expect(dates).not.toContain(day);
      expect(dates[0] > day).toBe(true);

      await t.http.delete(`${api}/closures/${closed.body.id}`).set(bearer(c.token.admin)).expect(204);
      const other = await consentedPatient(t.http, c, {}, () => clock.now());
      await post('/appointments', c.token.admin, { ...body, patientId: other }).expect(201);
    });

    it('no-show is refused before the appointment’s time (422), accepted once it has come', async () => {
      const { id } = await bookIn(2);
      const refused = await post(`/appointments/${id}/no-show`, c.token.admin, { reason: 'did not come' }).expect(422);
      expect(refused.body.code).toBe('APPOINTMENT_NOT_YET_DUE');
      clock.advanceDays(3 / 24);
      await post(`/appointments/${id}/no-show`, c.token.admin, { reason: 'did not come' }).expect(200);
    });

    it('GET /follow-ups?patientId= lists one patient’s tasks', async () => {
      const [p1, p2] = [await consentedPatient(t.http, c, {}, () => clock.now()), await consentedPatient(t.http, c, {}, () => clock.now())];
      for (const p of [p1, p2])
        await post(`/patients/${p}/assessments`, c.token.nurse, phq9([1, 1, 1, 1, 0, 0, 0, 0, 1], clock.now())).expect(201);
      const res = await t.http.get(`${api}/follow-ups?patientId=${p1}`).set(bearer(c.token.anesthesiologist)).expect(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.every((x: { patientId: string }) => x.patientId === p1)).toBe(true);
      await t.http.get(`${api}/follow-ups?patientId=nope`).set(bearer(c.token.nurse)).expect(400);
    });

    it('an MRN is unique whatever its case (409), on registration and on edit', async () => {
      const mrn = `Case-${Math.random().toString(36).slice(2, 8)}`;
      await post('/patients', c.token.nurse, patientBody({ mrn })).expect(201);
      const dup = await post('/patients', c.token.nurse, patientBody({ mrn: mrn.toUpperCase() })).expect(409);
      expect(dup.body.details).toEqual([{ field: 'mrn', message: 'already in use' }]);
      const other = (await post('/patients', c.token.nurse, patientBody()).expect(201)).body as { id: string; version: number };
      await t.http
        .patch(`${api}/patients/${other.id}`)
        .set(bearer(c.token.nurse))
        .send({ mrn: mrn.toLowerCase(), version: other.version })
        .expect(409);
    });
  });

  describe('outcome baseline', () => {
    it('a PHQ-9 taken 74 s after the first dose is the baseline when none came before; the outcome says so', async () => {
      const patientId = await consentedPatient(t.http, a, {}, () => clock.now());
      await sessionAt(t.http, a, 'dosing', { patientId, baseline: { measuredAt: clock.now().toISOString() } });
      const [{ at }] = await q<{ at: Date }>(`SELECT dosing_started_at AS at FROM sessions WHERE patient_id = $1`, [patientId]);
      clock.advanceDays(2 / 1440);
      await post(
        `/patients/${patientId}/assessments`,
        a.token.nurse,
        phq9([3, 3, 3, 3, 2, 2, 2, 0, 0], new Date(at.getTime() + 74_000)),
      ).expect(201);
      clock.advanceDays(14);
      await post(`/patients/${patientId}/assessments`, a.token.nurse, phq9([1, 1, 1, 1, 1, 1, 1, 1, 0], clock.now())).expect(201);
      const out = await t.http.get(`${api}/patients/${patientId}/outcomes`).set(bearer(a.token.nurse)).expect(200);
      expect(out.body.PHQ9).toMatchObject({
        baseline: { total: 18 },
        baselineKind: 'after-first-dose',
        latest: { total: 8 },
        changePercent: -55.6,
        response: true,
      });
      expect(out.body.GAD7).toMatchObject({ baseline: null, baselineKind: null });
    });
  });
});
