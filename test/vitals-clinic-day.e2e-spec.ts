import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { sessionAt, vitals } from './support/sessions.js';

const api = '/api/v1';

/** What a real clinic day through the API showed: each finding as the clinic would notice it. */
describe('a clinic day: thresholds, phases, blood-pressure alerts, corrected readings', () => {
  let t: TestApp;
  const clock = new MovableClock();
  const minutes = (m: number) => clock.advanceDays(m / (24 * 60));
  beforeAll(async () => {
    t = await startTestApp({}, { clock });
  }, 60_000);
  afterEach(() => clock.reset());
  afterAll(() => t.close());

  describe('thresholds stay in order after every layer (warning before critical)', () => {
    let staff: Staff;
    beforeAll(async () => {
      staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    });
    const doc = () => bearer(staff.token.anesthesiologist);
    const fields = (body: { details?: Array<{ field: string }> }) => (body.details ?? []).map((d) => d.field);

    it('a protocol warning above the clinic critical is 400 naming the path, and nothing is written', async () => {
      const res = await t.http
        .patch(`${api}/protocols/ketamine-iv-standard`)
        .set(doc())
        .send({ thresholds: { systolic: { high: { warning: 190 } } }, reason: 'fewer alarms' })
        .expect(400);
      expect(fields(res.body)).toEqual(['thresholds.systolic.high.warning']);
      const view = await t.http.get(`${api}/thresholds`).set(doc()).expect(200);
      const iv = view.body.protocols.find((p: { protocol: string }) => p.protocol === 'ketamine-iv-standard');
      expect(iv.effective.systolic.high).toEqual({ warning: 160, critical: 180 });
    });

    it('a patient SpO2 low warning below the critical is 400 naming the path', async () => {
      const patient = await createPatient(t.http, staff.token.nurse);
      const res = await t.http
        .put(`${api}/patients/${patient.id}/thresholds`)
        .set(doc())
        .send({ thresholds: { spo2: { low: { warning: 85 } } }, reason: 'chronic lung disease' })
        .expect(400);
      expect(fields(res.body)).toEqual(['thresholds.spo2.low.warning']);
      await t.http
        .put(`${api}/patients/${patient.id}/thresholds`)
        .set(doc())
        .send({ thresholds: { spo2: { low: { warning: 88, critical: 85 } } }, reason: 'chronic lung disease' })
        .expect(200);
    });

    it('a clinic heart-rate warning above the critical is 400; so is a clinic critical below a protocol warning', async () => {
      const res = await t.http
        .patch(`${api}/thresholds`)
        .set(doc())
        .send({ thresholds: { heartRate: { high: { warning: 140 } } }, reason: 'athletes' })
        .expect(400);
      expect(fields(res.body)).toEqual(['thresholds.heartRate.high.warning']);
      const im = await t.http
        .patch(`${api}/protocols/ketamine-im`)
        .set(doc())
        .send({ thresholds: { heartRate: { high: { warning: 120 } } }, reason: 'IM: tighter' });
      expect(im.body).toMatchObject({ version: expect.any(Number) });
      const clash = await t.http
        .patch(`${api}/thresholds`)
        .set(doc())
        .send({ thresholds: { heartRate: { high: { critical: 115 } } }, reason: 'stricter' })
        .expect(400);
      expect(fields(clash.body)).toEqual(['thresholds.heartRate.high.critical']);
      expect(JSON.stringify(clash.body)).toContain('ketamine-im');
    });
  });

  describe('a reading has the phase of its measurement, not of its arrival', () => {
    it('500 device readings measured during dosing and posted after end-dosing are dosing readings; later ones observation', async () => {
      const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
      const nurse = bearer(staff.token.nurse);
      const id = await sessionAt(t.http, staff, 'dosing');
      const started = new Date((await t.http.get(`${api}/sessions/${id}`).set(nurse).expect(200)).body.dosingStartedAt as string);
      minutes(20);
      await t.http
        .post(`${api}/sessions/${id}/end-dosing`)
        .set(nurse)
        .send({ reason: 'monitor upload after a short infusion' })
        .expect(200);
      const readings = Array.from({ length: 500 }, (_, i) =>
        vitals({ source: 'device', deviceId: 'monitor-7', measuredAt: new Date(started.getTime() + (i + 1) * 2_000).toISOString() }),
      );
      const res = await t.http.post(`${api}/sessions/${id}/vitals/batch`).set(nurse).send({ readings }).expect(201);
      const phases = new Set(res.body.readings.map((r: { phase: string }) => r.phase));
      expect([...phases]).toEqual(['dosing']);
      const after = await t.http
        .post(`${api}/sessions/${id}/vitals`)
        .set(nurse)
        .send(vitals({ measuredAt: clock.now().toISOString() }));
      expect(after.body.reading.phase).toBe('observation');
      const stored = await t.runtime.dataSource.query<{ phase: string; n: string }[]>(
        `SELECT phase, count(*) n FROM vital_readings WHERE session_id = $1 GROUP BY phase ORDER BY phase`,
        [id],
      );
      expect(stored).toEqual([
        { phase: 'dosing', n: '500' },
        { phase: 'observation', n: '1' },
        { phase: 'pre-dose', n: '1' },
      ]);
    });
  });

  describe('one blood-pressure alert per reading', () => {
    it('185/110 raises one critical blood-pressure alert carrying both values: one acknowledgement, one escalation', async () => {
      const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
      const id = await sessionAt(t.http, staff, 'dosing');
      const res = await t.http
        .post(`${api}/sessions/${id}/vitals`)
        .set(bearer(staff.token.nurse))
        .send(vitals({ measuredAt: clock.now().toISOString(), systolic: 185, diastolic: 110 }))
        .expect(201);
      expect(res.body.alerts).toHaveLength(1);
      expect(res.body.alerts[0]).toMatchObject({ measure: 'blood-pressure', level: 'critical' });
      expect(res.body.alerts[0].message).toContain('185/110');
      const escalations = await t.runtime.dataSource.query<{ n: string }[]>(
        `SELECT count(*) n FROM pending_work WHERE kind = 'escalate-alert-to-session' AND subject_id IN (SELECT id FROM alerts WHERE session_id = $1)`,
        [id],
      );
      expect(escalations[0].n).toBe('1');
    });
  });

  describe('a corrected device reading', () => {
    it('same device and time with other values is stored as a correction: the old one kept, superseded, the new one judged and alerted', async () => {
      const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
      const nurse = bearer(staff.token.nurse);
      const id = await sessionAt(t.http, staff, 'dosing');
      const measuredAt = clock.now().toISOString();
      const post = (values: object) =>
        t.http
          .post(`${api}/sessions/${id}/vitals`)
          .set(nurse)
          .send(vitals({ source: 'device', deviceId: 'monitor-3', measuredAt, ...values }))
          .expect(201);
      const first = await post({ systolic: 128, diastolic: 80 });
      const resend = await post({ systolic: 128, diastolic: 80 });
      expect(resend.body.reading).toMatchObject({ id: first.body.reading.id, duplicate: true });
      const corrected = await post({ systolic: 186, diastolic: 96 });
      expect(corrected.body.reading).toMatchObject({ duplicate: false, systolic: 186 });
      expect(corrected.body.reading.id).not.toBe(first.body.reading.id);
      expect(corrected.body.alerts).toEqual([expect.objectContaining({ measure: 'blood-pressure', level: 'critical' })]);
      const old = await t.runtime.dataSource.query<
        { superseded_at: Date | null; superseded_by: string; superseded_by_reading_id: string }[]
      >(`SELECT superseded_at, superseded_by, superseded_by_reading_id FROM vital_readings WHERE id = $1`, [first.body.reading.id]);
      expect(old[0]).toMatchObject({ superseded_by: staff.nurse.id, superseded_by_reading_id: corrected.body.reading.id });
      expect(old[0].superseded_at).not.toBeNull();
      // The list shows the current reading only; a resend of the correction is a duplicate of it.
      const list = await t.http.get(`${api}/sessions/${id}/vitals`).set(nurse).expect(200);
      const ours = list.body.items.filter((r: { deviceId: string | null }) => r.deviceId === 'monitor-3');
      expect(ours.map((r: { id: string }) => r.id)).toEqual([corrected.body.reading.id]);
      // The board shows the corrected values, never the superseded ones.
      const board = await t.http.get(`${api}/sessions/board`).set(nurse).expect(200);
      const tile = board.body.find((b: { sessionId: string }) => b.sessionId === id);
      expect(tile.latestVitals).toMatchObject({ systolic: 186, diastolic: 96 });
      const again = await post({ systolic: 186, diastolic: 96 });
      expect(again.body.reading).toMatchObject({ id: corrected.body.reading.id, duplicate: true });
    });
  });

  describe('warnings a reading answers clear themselves', () => {
    it('an open "vitals overdue" warning is resolved by the next reading, with an event saying so', async () => {
      const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
      const id = await sessionAt(t.http, staff, 'dosing');
      const [alert] = await t.runtime.dataSource.query<{ id: string }[]>(
        `INSERT INTO alerts (clinic_id, session_id, patient_id, measure, level, status, message, opened_at)
         SELECT clinic_id, id, patient_id, 'vitals-overdue', 'warning', 'open', 'No vitals since 10:00', now() FROM sessions WHERE id = $1
         RETURNING id`,
        [id],
      );
      const res = await t.http
        .post(`${api}/sessions/${id}/vitals`)
        .set(bearer(staff.token.nurse))
        .send(vitals({ measuredAt: clock.now().toISOString() }))
        .expect(201);
      const open = await t.http.get(`${api}/alerts?status=open&sessionId=${id}`).set(bearer(staff.token.nurse)).expect(200);
      expect(open.body.items).toEqual([]);
      const [row] = await t.runtime.dataSource.query<{ status: string; resolution_note: string }[]>(
        `SELECT status, resolution_note FROM alerts WHERE id = $1`,
        [alert.id],
      );
      expect(row.status).toBe('resolved');
      expect(row.resolution_note).toContain('cleared by the reading measured at');
      const events = await t.runtime.dataSource.query<{ type: string; cleared: string }[]>(
        `SELECT type, payload->>'clearedByReadingId' AS cleared FROM alert_events WHERE alert_id = $1`,
        [alert.id],
      );
      expect(events).toEqual([{ type: 'resolved', cleared: res.body.reading.id }]);
    });

    it('an acknowledged one too, on its own session only: readings posted at once to two sessions clear the one there is', async () => {
      const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
      const [withAlert, without] = [await sessionAt(t.http, staff, 'dosing'), await sessionAt(t.http, staff, 'dosing')];
      const [alert] = await t.runtime.dataSource.query<{ id: string }[]>(
        `INSERT INTO alerts (clinic_id, session_id, patient_id, measure, level, status, message, opened_at, acknowledged_at, acknowledged_by)
         SELECT clinic_id, id, patient_id, 'vitals-overdue', 'warning', 'acknowledged', 'No vitals since 10:00', now(), now(), $2
           FROM sessions WHERE id = $1
         RETURNING id`,
        [withAlert, staff.nurse.id],
      );
      const post = (id: string) =>
        t.http
          .post(`${api}/sessions/${id}/vitals`)
          .set(bearer(staff.token.nurse))
          .send(vitals({ measuredAt: clock.now().toISOString() }));
      const [res] = await Promise.all([post(withAlert), post(without)]);
      expect(res.status).toBe(201);
      const events = await t.runtime.dataSource.query<{ type: string; cleared: string }[]>(
        `SELECT type, payload->>'clearedByReadingId' AS cleared FROM alert_events WHERE alert_id = $1`,
        [alert.id],
      );
      expect(events).toEqual([{ type: 'resolved', cleared: res.body.reading.id }]);
      const alerts = await t.runtime.dataSource.query(`SELECT session_id, status FROM alerts WHERE session_id = ANY($1)`, [
        [withAlert, without],
      ]);
      expect(alerts).toEqual([{ session_id: withAlert, status: 'resolved' }]);
    });
  });
});
