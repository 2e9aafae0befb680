import { MovableClock, ownDatabase, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { consentedPatient } from './support/sessions.js';

const api = '/api/v1';

/** The dose delivered, reconciled with the order at the end of dosing or its abort (clinical-rules.md section 8). */
describe('the delivered dose (time moved by an injected clock)', () => {
  let t: TestApp;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let a: Staff;
  // Doses are rate × elapsed time: real seconds of a busy machine must not move them.
  const clock = MovableClock.still();
  beforeAll(async () => {
    db = await ownDatabase();
    t = await startTestApp({ DATABASE_URL: db.url }, { clock });
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  const post = (path: string, body: object = {}, staff: Staff = a) =>
    t.http.post(`${api}${path}`).set(bearer(staff.token.nurse)).send(body);
  const minutes = (m: number) => clock.advanceDays(m / (24 * 60));
  const vitals = () => ({ measuredAt: clock.now().toISOString(), source: 'manual', systolic: 124, diastolic: 78, heartRate: 72, spo2: 98 });

  /** 70 kg × 0.5 mg/kg = 35 mg over 40 min at 1 mg/mL: 52.5 mL/h. */
  async function dosing(staff: Staff = a): Promise<string> {
    const patientId = await consentedPatient(t.http, staff, {}, () => clock.now());
    const { id } = (await post('/sessions', { patientId, protocol: 'ketamine-iv-standard' }, staff).expect(201)).body as { id: string };
    await post(`/sessions/${id}/check-in`, {}, staff).expect(200);
    await post(
      `/sessions/${id}/pre-checks`,
      { transportHome: 'escort', pregnancyStatus: 'not-pregnant', cssrsScreener: 'negative' },
      staff,
    ).expect(200);
    await post(`/sessions/${id}/vitals`, vitals(), staff).expect(201);
    await post(`/sessions/${id}/start`, { doseMgPerKg: 0.5, concentrationMgPerMl: 1, lotNumber: 'L-77' }, staff).expect(200);
    return id;
  }

  it('the clinic day: a 2.6-minute pause and rates of 40, 0 and 52.5 mL/h give 29.9 mg, and ending at 40 minutes needs a reason', async () => {
    const id = await dosing();
    minutes(10);
    await post(`/sessions/${id}/pause`, { reason: 'patient asked' }).expect(200);
    minutes(2.6);
    await post(`/sessions/${id}/resume`).expect(200);
    minutes(2.4);
    const forty = await post(`/sessions/${id}/rate`, { rateMlPerH: 40, reason: 'BP rising' }).expect(200);
    expect(forty.body.dose).toMatchObject({ rateMlPerH: 40, rateMgPerH: 40 });
    minutes(5);
    const stopped = await post(`/sessions/${id}/rate`, { rateMlPerH: 0, reason: 'BP 170/100' }).expect(200);
    expect(stopped.body.dose).toMatchObject({ rateMlPerH: 0, rateMgPerH: 0 });
    minutes(2);
    await post(`/sessions/${id}/rate`, { rateMlPerH: 52.5, reason: 'BP settled' }).expect(200);
    minutes(18);
    const noReason = await post(`/sessions/${id}/end-dosing`).expect(400);
    expect(noReason.body.details).toEqual([
      expect.objectContaining({ field: 'reason', message: expect.stringContaining('29.9 mg delivered of 35 mg ordered') }),
    ]);
    const ended = await post(`/sessions/${id}/end-dosing`, { reason: 'pump stopped for blood pressure' }).expect(200);
    expect(ended.body.dose).toMatchObject({ doseMg: 35, deliveredDoseMg: 29.9, computedDoseMg: 29.9, bagRemainingMl: null });
    const detail = await t.http.get(`${api}/sessions/${id}`).set(bearer(a.token.nurse)).expect(200);
    expect(detail.body.dose).toMatchObject({ deliveredDoseMg: 29.9, differenceMg: -5.1 });
    const [row] = await t.runtime.dataSource.query(`SELECT delivered_dose_mg FROM sessions WHERE id = $1`, [id]);
    expect(row.delivered_dose_mg).toBe('29.9');
    const [audit] = await t.runtime.dataSource.query(
      `SELECT changes FROM audit_events WHERE resource_id = $1 AND action = 'session.end-dosing'`,
      [id],
    );
    expect(audit.changes).toMatchObject({ deliveredDoseMg: 29.9, computedDoseMg: 29.9, orderedDoseMg: 35 });
  });

  it('an abort at minute 15 of 40 records 13.1 mg given, not the order', async () => {
    const id = await dosing();
    minutes(15);
    const aborted = await post(`/sessions/${id}/abort`, { reason: 'hypertension' }).expect(200);
    expect(aborted.body.dose).toMatchObject({ deliveredDoseMg: 13.1, computedDoseMg: 13.1, differenceMg: -21.9 });
  });

  it('the volume left in the bag makes the figure of record: drawn − left, with its difference from the computed one', async () => {
    const id = await dosing();
    minutes(30);
    await post(`/sessions/${id}/abort`, { reason: 'nausea', bagRemainingMl: 40 }).expect(400);
    const aborted = await post(`/sessions/${id}/abort`, { reason: 'nausea', bagRemainingMl: 8.5 }).expect(200);
    expect(aborted.body.dose).toMatchObject({
      computedDoseMg: 26.3,
      bagRemainingMl: 8.5,
      deliveredDoseMg: 26.5,
      measuredMinusComputedMg: 0.2,
    });
  });

  it('a dose run as ordered needs no reason; within 5 % neither', async () => {
    const id = await dosing();
    minutes(39);
    const ended = await post(`/sessions/${id}/end-dosing`).expect(200);
    expect(ended.body.dose).toMatchObject({ deliveredDoseMg: 34.1, differenceMg: -0.9 });
  });

  it('the tolerance is the clinic’s: 5 % by default, and a clinic that sets 10 % ends a dose 3.1 mg short without a reason', async () => {
    const b = await clinicWithStaff(t.runtime.dataSource, t.http);
    const admin = bearer(b.token.admin);
    const settings = await t.http.get(`${api}/clinic-settings`).set(admin).expect(200);
    expect(settings.body.deliveredDoseTolerancePct).toBe(5);
    /** A 3.5-minute pause, then on to 40 minutes: 31.9 of 35 mg, 3.1 mg (8.9 %) short. */
    const paused = async () => {
      const id = await dosing(b);
      minutes(10);
      await post(`/sessions/${id}/pause`, { reason: 'line kinked' }, b).expect(200);
      minutes(3.5);
      await post(`/sessions/${id}/resume`, {}, b).expect(200);
      minutes(26.5);
      return id;
    };
    const atDefault = await paused();
    const refused = await post(`/sessions/${atDefault}/end-dosing`, {}, b).expect(400);
    expect(refused.body.details).toEqual([
      expect.objectContaining({ field: 'reason', message: expect.stringContaining('31.9 mg delivered of 35 mg ordered') }),
    ]);

    for (const pct of [0, 11, 2.5]) {
      const bad = await t.http
        .patch(`${api}/clinic-settings`)
        .set(admin)
        .send({ deliveredDoseTolerancePct: pct, reason: 'pharmacy review' })
        .expect(400);
      expect(bad.body.details).toEqual([expect.objectContaining({ field: 'deliveredDoseTolerancePct' })]);
    }
    const edited = await t.http
      .patch(`${api}/clinic-settings`)
      .set(admin)
      .send({ deliveredDoseTolerancePct: 10, reason: 'pharmacy: compounded bags vary up to 10 %' })
      .expect(200);
    expect(edited.body).toMatchObject({
      deliveredDoseTolerancePct: 10,
      sources: { deliveredDoseTolerancePct: expect.stringContaining('pharmacy') },
    });
    const atTen = await paused();
    const ended = await post(`/sessions/${atTen}/end-dosing`, {}, b).expect(200);
    expect(ended.body.dose).toMatchObject({ deliveredDoseMg: 31.9, differenceMg: -3.1 });
    const [event] = await t.runtime.dataSource.query(`SELECT data FROM session_events WHERE session_id = $1 AND type = 'end-dosing'`, [
      atTen,
    ]);
    expect(event.data).toMatchObject({ tolerancePct: 10, beyondTolerance: false });
    // The other clinic keeps Vigil's 5 %.
    expect((await t.http.get(`${api}/clinic-settings`).set(bearer(a.token.admin)).expect(200)).body.deliveredDoseTolerancePct).toBe(5);
  });
});
