import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';

const api = '/api/v1';

/** What a real clinic day through the API showed: each finding as the clinic would notice it. */
describe('a clinic day: thresholds, phases, blood-pressure alerts, corrected readings', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  }, 60_000);
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
});
