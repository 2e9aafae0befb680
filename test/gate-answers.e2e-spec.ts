import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { consentedPatient } from './support/sessions.js';

const api = '/api/v1';

describe('what the start and discharge gates say about the vitals (time moved by an injected clock)', () => {
  let t: TestApp;
  let a: Staff;
  const clock = new MovableClock();
  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  const post = (path: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(a.token.nurse)).send(body);
  const minutes = (m: number) => clock.advanceDays(m / (24 * 60));
  const at = (secondsFromNow = 0) => new Date(clock.now().getTime() + secondsFromNow * 1000).toISOString();
  const bp = (measuredAt = at()) => ({ measuredAt, source: 'manual', systolic: 124, diastolic: 78 });
  const monitor = (measuredAt = at()) => ({ measuredAt, source: 'device', deviceId: 'oximeter-1', heartRate: 72, spo2: 98 });
  const checklist = {
    alertAndOriented: true,
    walksSteadily: true,
    nauseaControlled: true,
    escortConfirmed: true,
    drivingInstructionGiven: true,
  };

  /** An IV session checked in and pre-checked, with no vitals yet. */
  async function preChecked(): Promise<string> {
    const patientId = await consentedPatient(t.http, a, {}, () => clock.now());
    const { id } = (await post('/sessions', { patientId, protocol: 'ketamine-iv-standard' }).expect(201)).body as { id: string };
    await post(`/sessions/${id}/check-in`).expect(200);
    await post(`/sessions/${id}/pre-checks`, {
      transportHome: 'escort',
      pregnancyStatus: 'not-pregnant',
      cssrsScreener: 'negative',
    }).expect(200);
    return id;
  }

  const start = (id: string) => post(`/sessions/${id}/start`, { doseMgPerKg: 0.5, concentrationMgPerMl: 1, lotNumber: 'L1' });

  it('VITALS_STALE names the blood pressure and its age when only the monitor’s SpO2 and heart rate are fresh', async () => {
    const id = await preChecked();
    await post(`/sessions/${id}/vitals`, { ...bp(), heartRate: 72, spo2: 98, moaas: 5 }).expect(201);
    await start(id).expect(200);
    minutes(40);
    await post(`/sessions/${id}/end-dosing`).expect(200);
    await post(`/sessions/${id}/vitals`, { ...bp(), moaas: 5 }).expect(201);
    minutes(31);
    await post(`/sessions/${id}/vitals`, monitor()).expect(201);
    await post(`/sessions/${id}/observation-checks`, { dissociation: 'resolved', nausea: 'none', oriented: true, gait: 'steady' }).expect(
      201,
    );
    const refused = await post(`/sessions/${id}/discharge`, checklist).expect(422);
    expect(refused.body.details).toEqual([
      {
        code: 'VITALS_STALE',
        message: 'blood pressure last measured 31 min ago (at most 15 min before discharge)',
        stale: [{ vital: 'blood-pressure', lastMeasuredAt: expect.any(String) as string, minutesAgo: 31 }],
        overridable: false,
      },
    ]);
  });

  it('a cuff blood pressure and the monitor’s heart rate and SpO2 40 s apart are a baseline: the session starts, judged on that blood pressure', async () => {
    const id = await preChecked();
    const cuff = ((await post(`/sessions/${id}/vitals`, bp(at(-60))).expect(201)).body as { reading: { id: string } }).reading;
    await post(`/sessions/${id}/vitals`, monitor(at(-20))).expect(201);
    const started = await start(id).expect(200);
    expect(started.body).toMatchObject({ status: 'dosing', baselineReadingId: cuff.id });
  });

  it('two minutes apart they are not: the refusal says the vitals were not taken within a minute, with each one’s age', async () => {
    const id = await preChecked();
    await post(`/sessions/${id}/vitals`, bp(at(-150))).expect(201);
    await post(`/sessions/${id}/vitals`, monitor(at(-30))).expect(201);
    const refused = await start(id).expect(422);
    expect(refused.body.code).toBe('BASELINE_VITALS_MISSING');
    const [problem] = refused.body.details as Array<{ message: string; vitals: Array<{ vital: string; minutesAgo: number | null }> }>;
    expect(problem.message).toContain('not measured within a minute of one another');
    expect(problem.vitals.map((v) => [v.vital, v.minutesAgo])).toEqual([
      ['blood-pressure', 2],
      ['heart-rate', 0],
      ['spo2', 0],
    ]);
  });
});
