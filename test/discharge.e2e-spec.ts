import type { Job } from 'bullmq';
import { JobDispatcher, JobName, localParts } from '../libs/platform/src/index.js';
import { MovableClock, ownDatabase, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { consentForm, consentedPatient, dischargedIvSession } from './support/sessions.js';

const api = '/api/v1';

describe('observation, discharge and outcomes (time moved by an injected clock)', () => {
  let t: TestApp;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let a: Staff;
  // 08:00 in the clinics' zone: bookings hours ahead and sessions stay within the day.
  const clock = MovableClock.at('08:00', 'America/New_York');
  beforeAll(async () => {
    db = await ownDatabase();
    t = await startTestApp({ DATABASE_URL: db.url, WORKER_EMBEDDED: 'true' }, { clock });
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const minutes = (m: number) => clock.advanceDays(m / (24 * 60));
  const vitals = (values: Record<string, unknown> = {}) => ({
    measuredAt: clock.now().toISOString(),
    source: 'manual',
    systolic: 124,
    diastolic: 78,
    heartRate: 72,
    spo2: 98,
    moaas: 5,
    ...values,
  });
  const checklist = {
    alertAndOriented: true,
    walksSteadily: true,
    nauseaControlled: true,
    escortConfirmed: true,
    drivingInstructionGiven: true,
  };
  const codes = (res: { body: { details: { code: string }[] } }) => res.body.details.map((d) => d.code);

  /** An IV session whose infusion has just started. */
  async function ivDosing(baseline: object = vitals()): Promise<{ id: string }> {
    const patientId = await consentedPatient(t.http, a, {}, () => clock.now());
    const s = (await post('/sessions', a.token.nurse, { patientId, protocol: 'ketamine-iv-standard' }).expect(201)).body as { id: string };
    await post(`/sessions/${s.id}/check-in`, a.token.nurse).expect(200);
    await post(`/sessions/${s.id}/pre-checks`, a.token.nurse, {
      transportHome: 'escort',
      pregnancyStatus: 'not-pregnant',
      cssrsScreener: 'negative',
    }).expect(200);
    await post(`/sessions/${s.id}/vitals`, a.token.nurse, baseline).expect(201);
    await post(`/sessions/${s.id}/start`, a.token.nurse, { doseMgPerKg: 0.5, concentrationMgPerMl: 1, lotNumber: 'L1' }).expect(200);
    return s;
  }

  /** An IV session whose infusion ran its 40 minutes and ended: observation starts now. */
  async function ivInObservation(): Promise<string> {
    const s = await ivDosing();
    minutes(40);
    await post(`/sessions/${s.id}/vitals`, a.token.nurse, vitals()).expect(201);
    await post(`/sessions/${s.id}/end-dosing`, a.token.nurse).expect(200);
    return s.id;
  }

  /** Observation done right: fresh vitals with MOAA/S back to baseline and dissociation resolved. */
  async function readyToGo(id: string): Promise<void> {
    await post(`/sessions/${id}/vitals`, a.token.nurse, vitals()).expect(201);
    await post(`/sessions/${id}/observation-checks`, a.token.nurse, {
      dissociation: 'resolved',
      nausea: 'none',
      oriented: true,
      gait: 'steady',
    }).expect(201);
  }

  async function dispatch(kind: JobName, subjectId: string): Promise<void> {
    // An UPDATE … RETURNING answers [rows, affected count].
    const [[row]] = await t.runtime.dataSource.query<[{ id: string }[], number]>(
      `UPDATE pending_work SET due_at = now() WHERE kind = $1 AND subject_id = $2 AND status = 'pending' RETURNING id`,
      [kind, subjectId],
    );
    if (!row) throw new Error(`no pending ${kind} for ${subjectId}`);
    const ran = await t.app.get(JobDispatcher).dispatch({ name: kind, id: `t-${row.id}`, data: { workId: row.id } } as unknown as Job);
    expect(ran).toBe(true);
  }

  it('an IV session is discharged after 30 minutes of observation only when every criterion holds; all unmet ones come in one 422', async () => {
    const id = await ivInObservation();
    const all = await post(`/sessions/${id}/discharge`, a.token.nurse, {
      alertAndOriented: false,
      walksSteadily: false,
      nauseaControlled: false,
      escortConfirmed: false,
      drivingInstructionGiven: false,
    }).expect(422);
    // The reading taken as the infusion ended is of the dosing: nothing yet says the patient recovered.
    expect(codes(all)).toEqual([
      'MIN_OBSERVATION_NOT_MET',
      'VITALS_STALE',
      'SEDATION_NOT_RESOLVED',
      'DISSOCIATION_NOT_RESOLVED',
      'NOT_ALERT_AND_ORIENTED',
      'GAIT_UNSTEADY',
      'NAUSEA_NOT_CONTROLLED',
      'ESCORT_NOT_CONFIRMED',
      'DRIVING_INSTRUCTION_NOT_GIVEN',
    ]);
    expect(all.body.details[0]).toMatchObject({ minutesRemaining: 30, overridable: false });
    minutes(29);
    const shown = await t.http.get(`${api}/sessions/${id}`).set(bearer(a.token.nurse)).expect(200);
    expect(shown.body.observation).toEqual({ minimumMin: 30, elapsedMin: 29, remainingMin: 1 });
    await readyToGo(id);
    const early = await post(`/sessions/${id}/discharge`, a.token.nurse, checklist).expect(422);
    expect(codes(early)).toEqual(['MIN_OBSERVATION_NOT_MET']);
    expect(early.body.details[0].minutesRemaining).toBe(1);
    minutes(1);
    const done = await post(`/sessions/${id}/discharge`, a.token.nurse, checklist).expect(200);
    expect(done.body.status).toBe('discharged');
    const [record] = await t.runtime.dataSource.query(
      `SELECT total_min, instructions, discharged_by FROM discharges WHERE session_id = $1`,
      [id],
    );
    expect(record).toMatchObject({ total_min: 70, discharged_by: a.nurse.id });
    expect(record.instructions).toEqual([
      'Do not drive or operate machinery until the next day after a restful sleep.',
      'No alcohol for 24 hours.',
    ]);
    await post(`/sessions/${id}/discharge`, a.token.nurse, checklist).expect(409);
  });

  it.each<[string, (id: string) => Promise<void>, string]>([
    ['stale vitals', async () => minutes(16), 'VITALS_STALE'],
    [
      'out-of-range vitals',
      async (id) => void (await post(`/sessions/${id}/vitals`, a.token.nurse, vitals({ heartRate: 115 })).expect(201)),
      'VITALS_OUT_OF_RANGE',
    ],
    [
      'an open alert',
      async (id) => void (await post(`/sessions/${id}/emergency`, a.token.nurse, { symptoms: ['sudden-severe-headache'] }).expect(201)),
      'OPEN_ALERTS',
    ],
    [
      'sedation not resolved',
      async (id) => void (await post(`/sessions/${id}/vitals`, a.token.nurse, vitals({ moaas: 4 })).expect(201)),
      'SEDATION_NOT_RESOLVED',
    ],
    [
      'dissociation present',
      async (id) => void (await post(`/sessions/${id}/observation-checks`, a.token.nurse, { dissociation: 'present' }).expect(201)),
      'DISSOCIATION_NOT_RESOLVED',
    ],
  ])('refused for %s alone', async (_label, spoil, code) => {
    const id = await ivInObservation();
    minutes(30);
    await readyToGo(id);
    await spoil(id);
    const res = await post(`/sessions/${id}/discharge`, a.token.nurse, checklist).expect(422);
    expect(codes(res)).toContain(code);
    expect(codes(res).filter((c) => c !== 'OPEN_ALERTS' && c !== 'VITALS_OUT_OF_RANGE' && c !== 'SEDATION_NOT_RESOLVED')).toEqual(
      ['OPEN_ALERTS', 'VITALS_OUT_OF_RANGE', 'SEDATION_NOT_RESOLVED'].includes(code) ? [] : [code],
    );
  });

  it('a MOAA/S taken during the infusion is no recovery: only readings measured after the end of dosing count', async () => {
    const s = await ivDosing(vitals({ moaas: undefined }));
    minutes(3);
    await post(`/sessions/${s.id}/vitals`, a.token.nurse, vitals({ moaas: 5 })).expect(201); // minute 3 of dosing
    minutes(37);
    await post(`/sessions/${s.id}/end-dosing`, a.token.nurse).expect(200);
    minutes(30);
    await post(`/sessions/${s.id}/vitals`, a.token.nurse, vitals({ moaas: undefined })).expect(201);
    await post(`/sessions/${s.id}/observation-checks`, a.token.nurse, { dissociation: 'resolved' }).expect(201);
    const refused = await post(`/sessions/${s.id}/discharge`, a.token.nurse, checklist).expect(422);
    expect(codes(refused)).toEqual(['SEDATION_NOT_RESOLVED']);
    await post(`/sessions/${s.id}/vitals`, a.token.nurse, vitals({ moaas: 5 })).expect(201);
    await post(`/sessions/${s.id}/discharge`, a.token.nurse, checklist).expect(200);
  });

  it('a dissociation check charted during the infusion does not clear dissociation', async () => {
    const s = await ivDosing();
    minutes(39);
    await post(`/sessions/${s.id}/observation-checks`, a.token.nurse, { dissociation: 'resolved' }).expect(201);
    minutes(1);
    await post(`/sessions/${s.id}/end-dosing`, a.token.nurse).expect(200);
    minutes(30);
    await post(`/sessions/${s.id}/vitals`, a.token.nurse, vitals()).expect(201);
    const refused = await post(`/sessions/${s.id}/discharge`, a.token.nurse, checklist).expect(422);
    expect(codes(refused)).toEqual(['DISSOCIATION_NOT_RESOLVED']);
  });

  it.each(['alertAndOriented', 'walksSteadily', 'nauseaControlled', 'escortConfirmed', 'drivingInstructionGiven'])(
    'refused when the checklist says %s: false',
    async (field) => {
      const id = await ivInObservation();
      minutes(30);
      await readyToGo(id);
      const res = await post(`/sessions/${id}/discharge`, a.token.nurse, { ...checklist, [field]: false }).expect(422);
      expect(res.body.details).toHaveLength(1);
    },
  );

  it('an anesthesiologist attests out-of-range vitals; a nurse cannot', async () => {
    const id = await ivInObservation();
    minutes(30);
    await readyToGo(id);
    const warn = await post(`/sessions/${id}/vitals`, a.token.nurse, vitals({ systolic: 162, diastolic: 88 })).expect(201);
    await post(`/alerts/${warn.body.alerts[0].id}/resolve`, a.token.nurse, { note: 'rechecked, patient calm' }).expect(200);
    const refused = await post(`/sessions/${id}/discharge`, a.token.nurse, checklist).expect(422);
    expect(refused.body.details).toEqual([expect.objectContaining({ code: 'VITALS_OUT_OF_RANGE', overridable: true })]);
    await post(`/sessions/${id}/attest-vitals`, a.token.nurse, { reason: 'x y z' }).expect(403);
    await post(`/sessions/${id}/attest-vitals`, a.token.anesthesiologist, { reason: 'usual BP for this patient; asymptomatic' }).expect(
      201,
    );
    await post(`/sessions/${id}/discharge`, a.token.nurse, checklist).expect(200);
  });

  it('tells the nurse when the minimum observation has passed', async () => {
    const id = await ivInObservation();
    minutes(30);
    await dispatch(JobName.ObservationComplete, id);
    const events = await t.runtime.dataSource.query(`SELECT type, payload FROM alert_events WHERE session_id = $1`, [id]);
    expect(events).toEqual([expect.objectContaining({ type: 'observation-complete' })]);
    const mail = await t.runtime.dataSource.query(`SELECT subject FROM notifications WHERE recipient_user_id = $1 AND body LIKE $2`, [
      a.nurse.id,
      `%${id}%`,
    ]);
    expect(mail).toEqual([{ subject: 'Vigil: discharge may be assessed' }]);
  });

  describe('esketamine', () => {
    async function esketamineSession(): Promise<string> {
      const patient = await createPatient(t.http, a.token.nurse, { weightKg: 70 });
      const rems = await consentForm(t.http, a, 'esketamine-rems-enrollment');
      await post(`/patients/${patient.id}/consents`, a.token.nurse, {
        formId: rems,
        signedAt: clock.now().toISOString(),
        signedByName: 'Ana Souza',
        method: 'in-person',
        prescriberUserId: a.anesthesiologist.id,
      }).expect(201);
      const s = (await post('/sessions', a.token.nurse, { patientId: patient.id, protocol: 'esketamine-trd' }).expect(201)).body as {
        id: string;
      };
      await post(`/sessions/${s.id}/check-in`, a.token.anesthesiologist).expect(200);
      const ago = (m: number) => new Date(clock.now().getTime() - m * 60_000).toISOString();
      await post(`/sessions/${s.id}/pre-checks`, a.token.nurse, {
        transportHome: 'escort',
        lastFoodAt: ago(180),
        lastLiquidsAt: ago(45),
        pregnancyStatus: 'not-pregnant',
        cssrsScreener: 'negative',
      }).expect(200);
      await post(`/sessions/${s.id}/vitals`, a.token.nurse, vitals()).expect(201);
      const started = await post(`/sessions/${s.id}/start`, a.token.nurse, { doseMg: 56, lotNumber: 'SPR-77' }).expect(200);
      expect(started.body).toMatchObject({ dose: { doseMg: 56, devices: 2, durationMin: 10 } });
      expect(started.body.observationFrom).toBe(started.body.dosingStartedAt);
      return s.id;
    }

    it('refused at 119 minutes, discharged at 120 with its REMS form complete and a 7-day follow-up', async () => {
      const id = await esketamineSession();
      minutes(10);
      await post(`/sessions/${id}/end-dosing`, a.token.nurse).expect(200);
      minutes(30);
      await post(`/sessions/${id}/vitals`, a.token.nurse, vitals({ systolic: 150, diastolic: 92 })).expect(201); // the 40-minute BP
      await post(`/sessions/${id}/adverse-events`, a.token.nurse, {
        kind: 'dissociation',
        severity: 'mild',
        onsetAt: clock.now().toISOString(),
        actionTaken: 'reassurance',
        outcome: 'resolved',
      }).expect(201);
      minutes(79);
      await readyToGo(id);
      const early = await post(`/sessions/${id}/discharge`, a.token.nurse, { ...checklist, remsReadyToLeaveMin: 90 }).expect(422);
      expect(early.body.details).toEqual([
        expect.objectContaining({ code: 'MIN_OBSERVATION_NOT_MET', minutesRemaining: 1, overridable: false }),
      ]);
      minutes(1);
      await post(`/sessions/${id}/discharge`, a.token.nurse, { ...checklist, remsReadyToLeaveMin: 90 }).expect(200);
      const form = await t.http.get(`${api}/sessions/${id}/rems-form`).set(bearer(a.token.nurse)).expect(200);
      expect(form.body).toMatchObject({
        status: 'complete',
        patient: { firstName: 'Ana', lastName: 'Souza', dateOfBirth: '1984-05-17', sex: 'female' },
        firstTreatment: true,
        remsEnrolled: true,
        doseMg: 56,
        lotNumber: 'SPR-77',
        durationMin: 120,
        readyToLeaveMin: 90,
        vitalsAcceptableBeforeAdministration: true,
        dissociation: true,
        bloodPressure: {
          beforeAdministration: { systolic: 124, diastolic: 78 },
          at40Min: { systolic: 150, diastolic: 92 },
          beforeCompletion: { systolic: 124, diastolic: 78 },
        },
        adverseEvents: [expect.objectContaining({ kind: 'dissociation', remsReportable: true })],
      });
      const tasks = await t.runtime.dataSource.query(
        `SELECT kind, status, due_at, escalate_at FROM follow_ups WHERE subject_id = $1 ORDER BY due_at`,
        [id],
      );
      const days = (d: Date) => Math.round((new Date(d).getTime() - clock.now().getTime()) / 86_400_000);
      expect(tasks.map((x: { kind: string; status: string; due_at: Date }) => [x.kind, x.status, days(x.due_at)])).toEqual([
        ['check-in-call-24h', 'pending', 1],
        ['rems-monitoring-form', 'pending', 7],
      ]);
      expect(days(tasks[1].escalate_at)).toBe(5);
    });

    it('adverse events: an onset never in the future, resolved by an update, listed, and once on the REMS form in their latest state', async () => {
      const id = await esketamineSession();
      minutes(5);
      const event = (onsetAt: Date, outcome = 'ongoing') => ({
        kind: 'sedation',
        severity: 'moderate',
        onsetAt: onsetAt.toISOString(),
        actionTaken: 'observed closely',
        outcome,
      });
      const future = await post(
        `/sessions/${id}/adverse-events`,
        a.token.nurse,
        event(new Date(clock.now().getTime() + 10 * 60_000)),
      ).expect(400);
      expect(future.body.details).toEqual([expect.objectContaining({ field: 'onsetAt' })]);
      const recorded = (await post(`/sessions/${id}/adverse-events`, a.token.nurse, event(clock.now())).expect(201)).body as { id: string };
      minutes(20);
      const patch = (eventId: string, body: object) =>
        t.http.patch(`${api}/sessions/${id}/adverse-events/${eventId}`).set(bearer(a.token.nurse)).send(body);
      const resolved = await patch(recorded.id, { outcome: 'resolved', actionTaken: 'observed closely; roused to voice at 20 min' }).expect(
        200,
      );
      expect(resolved.body).toMatchObject({
        id: recorded.id,
        kind: 'sedation',
        outcome: 'resolved',
        actionTaken: 'observed closely; roused to voice at 20 min',
      });
      expect(Math.abs(new Date(resolved.body.resolvedAt).getTime() - clock.now().getTime())).toBeLessThan(5_000);
      await patch(recorded.id, { outcome: 'ongoing', resolvedAt: new Date(clock.now().getTime() + 3_600_000).toISOString() }).expect(400);
      await patch('00000000-0000-4000-8000-000000000000', { outcome: 'resolved' }).expect(404);
      const list = await t.http.get(`${api}/sessions/${id}/adverse-events`).set(bearer(a.token.nurse)).expect(200);
      expect(list.body).toEqual({ items: [expect.objectContaining({ id: recorded.id, outcome: 'resolved' })], nextCursor: null });
      const form = await t.http.get(`${api}/sessions/${id}/rems-form`).set(bearer(a.token.nurse)).expect(200);
      expect(form.body.adverseEvents).toEqual([expect.objectContaining({ kind: 'sedation', outcome: 'resolved' })]);
      const trail = await t.runtime.dataSource.query(
        `SELECT action FROM audit_events WHERE resource_id = $1 AND action LIKE 'session.adverse-event%' AND action <> 'session.adverse-events.read' ORDER BY occurred_at`,
        [id],
      );
      expect(trail.map((r: { action: string }) => r.action)).toEqual(['session.adverse-event', 'session.adverse-event-update']);
    });

    it('the 40-minute blood pressure: a reminder fires when it is missing, and discharge lists it', async () => {
      const id = await esketamineSession();
      minutes(40);
      await dispatch(JobName.RemsBpCheck, id);
      const alerts = await t.http.get(`${api}/alerts?sessionId=${id}`).set(bearer(a.token.nurse)).expect(200);
      expect(alerts.body.items).toEqual([expect.objectContaining({ measure: 'rems-40-min-bp', level: 'warning' })]);
      await post(`/alerts/${alerts.body.items[0].id}/resolve`, a.token.nurse, { note: 'taken late' }).expect(200);
      minutes(11);
      await post(`/sessions/${id}/end-dosing`, a.token.nurse).expect(200);
      minutes(70);
      await readyToGo(id);
      const res = await post(`/sessions/${id}/discharge`, a.token.nurse, checklist).expect(422);
      expect(res.body.details).toEqual([expect.objectContaining({ code: 'REMS_BP_MISSING', missing: ['at 40 minutes'] })]);
    });
  });

  describe('assessments and outcomes', () => {
    const phq9 = (items: number[]) => ({ instrument: 'PHQ9', items, administeredAt: clock.now().toISOString() });

    it('scores server-side, names the bad item, and stores the LOINC code', async () => {
      const p = await createPatient(t.http, a.token.nurse);
      const res = await post(`/patients/${p.id}/assessments`, a.token.nurse, { ...phq9([3, 3, 2, 2, 1, 1, 0, 0, 0]), total: 99 }).expect(
        400,
      );
      expect(res.body.details[0].field).toBe('total');
      const ok = await post(`/patients/${p.id}/assessments`, a.token.nurse, phq9([3, 3, 2, 2, 1, 1, 0, 0, 0])).expect(201);
      expect(ok.body).toMatchObject({ total: 12, band: 'moderate', loinc: '44261-6', flags: [] });
      const bad = await post(`/patients/${p.id}/assessments`, a.token.nurse, phq9([3, 3, 2, 4, 1, 1, 0, 0, 0])).expect(400);
      expect(bad.body.details).toEqual([{ field: 'items[3]', message: 'must be an integer 0–3' }]);
      const gad = await post(`/patients/${p.id}/assessments`, a.token.nurse, {
        instrument: 'GAD7',
        items: [2, 2, 2, 2, 2, 0, 0],
        administeredAt: clock.now().toISOString(),
      }).expect(201);
      expect(gad.body).toMatchObject({ total: 10, band: 'moderate', loinc: '70274-6' });
      await post(`/patients/${p.id}/assessments`, a.token.admin, phq9([0, 0, 0, 0, 0, 0, 0, 0, 0])).expect(403);
    });

    it('PHQ-9 item 9 above 0 alerts the clinicians at once', async () => {
      const p = await createPatient(t.http, a.token.nurse);
      const res = await post(`/patients/${p.id}/assessments`, a.token.nurse, phq9([1, 1, 1, 1, 0, 0, 0, 0, 1])).expect(201);
      expect(res.body.flags).toEqual(['suicide-risk']);
      const tasks = await t.http.get(`${api}/follow-ups?status=due`).set(bearer(a.token.anesthesiologist)).expect(200);
      expect(tasks.body.items.find((x: { subjectId: string }) => x.subjectId === res.body.id)).toMatchObject({
        kind: 'suicide-risk-review',
        assigneeRole: 'anesthesiologist',
      });
      const task = tasks.body.items.find((x: { subjectId: string }) => x.subjectId === res.body.id) as { id: string };
      const mail = await t.runtime.dataSource.query(`SELECT recipient_user_id FROM notifications WHERE body LIKE $1`, [
        `%Follow-up ${task.id}.%`,
      ]);
      expect(mail).toEqual([{ recipient_user_id: a.anesthesiologist.id }]);
    });

    it('a high-risk C-SSRS screener blocks the session start until an anesthesiologist reviews it', async () => {
      const patientId = await consentedPatient(t.http, a, {}, () => clock.now());
      const cssrs = await post(`/patients/${patientId}/assessments`, a.token.nurse, {
        instrument: 'CSSRS',
        items: [true, true, false, true, false, false],
        administeredAt: clock.now().toISOString(),
      }).expect(201);
      expect(cssrs.body).toMatchObject({ band: 'high', flags: ['suicide-risk-high'] });
      const s = (await post('/sessions', a.token.nurse, { patientId, protocol: 'ketamine-iv-standard' }).expect(201)).body as {
        id: string;
      };
      await post(`/sessions/${s.id}/check-in`, a.token.nurse).expect(200);
      await post(`/sessions/${s.id}/pre-checks`, a.token.nurse, {
        transportHome: 'escort',
        pregnancyStatus: 'not-pregnant',
        cssrsScreener: 'high-risk',
      }).expect(200);
      await post(`/sessions/${s.id}/vitals`, a.token.nurse, vitals()).expect(201);
      const blocked = await post(`/sessions/${s.id}/start`, a.token.anesthesiologist, {
        doseMgPerKg: 0.5,
        lotNumber: 'L',
        overrides: [
          { code: 'CSSRS_HIGH_RISK', reason: 'reviewed' },
          { code: 'CSSRS_REVIEW_REQUIRED', reason: 'try' },
        ],
      }).expect(422);
      expect(blocked.body.details).toEqual([expect.objectContaining({ code: 'CSSRS_REVIEW_REQUIRED', overridable: false })]);
      await post(`/patients/${patientId}/assessments/${cssrs.body.id}/review`, a.token.nurse, { note: 'x y z' }).expect(403);
      await post(`/patients/${patientId}/assessments/${cssrs.body.id}/review`, a.token.anesthesiologist, {
        note: 'safety plan made; proceed',
      }).expect(200);
      await post(`/sessions/${s.id}/start`, a.token.anesthesiologist, {
        doseMgPerKg: 0.5,
        lotNumber: 'L',
        overrides: [{ code: 'CSSRS_HIGH_RISK', reason: 'reviewed above' }],
      }).expect(200);
    });

    it('outcomes: baseline before the first session, change, response and remission on a series', async () => {
      const patientId = await consentedPatient(t.http, a, {}, () => clock.now());
      await post(`/patients/${patientId}/assessments`, a.token.nurse, phq9([3, 3, 3, 3, 2, 2, 2, 2, 0])).expect(201); // 20
      minutes(60);
      await post(`/patients/${patientId}/assessments`, a.token.nurse, phq9([3, 3, 3, 3, 2, 2, 2, 0, 0])).expect(201); // 18: the baseline
      const s = (await post('/sessions', a.token.nurse, { patientId, protocol: 'ketamine-iv-standard' }).expect(201)).body as {
        id: string;
      };
      await post(`/sessions/${s.id}/check-in`, a.token.nurse).expect(200);
      await post(`/sessions/${s.id}/pre-checks`, a.token.nurse, {
        transportHome: 'escort',
        pregnancyStatus: 'not-pregnant',
        cssrsScreener: 'negative',
      }).expect(200);
      await post(`/sessions/${s.id}/vitals`, a.token.nurse, vitals()).expect(201);
      await post(`/sessions/${s.id}/start`, a.token.nurse, { doseMgPerKg: 0.5, lotNumber: 'L' }).expect(200);
      minutes(60 * 24 * 7);
      await post(`/patients/${patientId}/assessments`, a.token.nurse, phq9([2, 2, 2, 2, 1, 1, 0, 0, 0])).expect(201); // 10
      minutes(60 * 24 * 7);
      await post(`/patients/${patientId}/assessments`, a.token.nurse, phq9([1, 1, 1, 1, 0, 0, 0, 0, 0])).expect(201); // 4
      const out = await t.http.get(`${api}/patients/${patientId}/outcomes`).set(bearer(a.token.anesthesiologist)).expect(200);
      expect(out.body.PHQ9).toMatchObject({
        baseline: { total: 18 },
        latest: { total: 4 },
        changePercent: -77.8,
        response: true,
        remission: true,
        relapse: false,
      });
      expect(out.body.PHQ9.points.map((x: { total: number }) => x.total)).toEqual([20, 18, 10, 4]);
    });
  });

  /** An IV induction series booked at 10:00 local two weeks ahead, its first five sessions done. */
  async function inductionWithFiveDone(): Promise<{ patientId: string; seriesId: string; appointments: { id: string }[] }> {
    const patientId = await consentedPatient(t.http, a, {}, () => clock.now());
    const chair = (await post('/chairs', a.token.admin, { name: `Chair ${Date.now()}` }).expect(201)).body as { id: string };
    const start = new Date(clock.now().getTime() + 14 * 86_400_000).toISOString().slice(0, 10);
    const series = await post(`/patients/${patientId}/series`, a.token.admin, {
      protocol: 'ketamine-iv-standard',
      startDate: start,
      preferredTime: '10:00',
      chairId: chair.id,
    }).expect(201);
    const appointments = series.body.appointments as { id: string }[];
    // The first five sessions happened.
    await t.runtime.dataSource.query(`UPDATE appointments SET status = 'completed' WHERE id = ANY($1)`, [
      appointments.slice(0, 5).map((x) => x.id),
    ]);
    return { patientId, seriesId: (series.body.series as { id: string }).id, appointments };
  }

  it('an aborted session leaves its appointment aborted, not completed: it does not count toward the series', async () => {
    const { patientId, seriesId, appointments } = await inductionWithFiveDone();
    await dischargedIvSession(t.http, a, clock, { patientId, appointmentId: appointments[5].id }, { abortAtMin: 15 });

    const [sixth] = await t.runtime.dataSource.query(`SELECT status FROM appointments WHERE id = $1`, [appointments[5].id]);
    expect(sixth.status).toBe('aborted');
    const [stillActive] = await t.runtime.dataSource.query(`SELECT status FROM treatment_series WHERE id = $1`, [seriesId]);
    expect(stillActive.status).toBe('active');
    const tasks = await t.runtime.dataSource.query(`SELECT id FROM follow_ups WHERE patient_id = $1 AND kind = 'phq9-after-induction'`, [
      patientId,
    ]);
    expect(tasks).toEqual([]);
  });

  it('discharging the last induction session of a series: PHQ-9 follow-ups and a tentative maintenance appointment at the same local time', async () => {
    const { patientId, seriesId, appointments } = await inductionWithFiveDone();
    await dischargedIvSession(t.http, a, clock, { patientId, appointmentId: appointments[5].id });

    const tasks = await t.runtime.dataSource.query(
      `SELECT kind, due_at FROM follow_ups WHERE patient_id = $1 AND kind = 'phq9-after-induction' ORDER BY due_at`,
      [patientId],
    );
    expect(tasks.map((x: { due_at: Date }) => Math.round((new Date(x.due_at).getTime() - clock.now().getTime()) / 3_600_000))).toEqual([
      24, 168, 672,
    ]);
    const proposed = await t.runtime.dataSource.query(
      `SELECT status, starts_at FROM appointments WHERE patient_id = $1 AND status = 'tentative'`,
      [patientId],
    );
    expect(proposed).toHaveLength(1);
    const when = localParts(new Date(proposed[0].starts_at), 'America/New_York');
    expect(when.time).toBe('10:00');
    // 28 days after the last induction session (ketamine: every 4 weeks), moved off a closed day if needed.
    const expected = localParts(new Date(clock.now().getTime() + 28 * 86_400_000), 'America/New_York').date;
    expect(when.date >= expected).toBe(true);
    expect(Math.round((Date.parse(when.date) - Date.parse(expected)) / 86_400_000)).toBeLessThanOrEqual(2);
    const confirm = await t.http.get(`${api}/follow-ups?status=due`).set(bearer(a.token.admin)).expect(200);
    expect(
      confirm.body.items.some((x: { kind: string; patientId: string }) => x.kind === 'maintenance-proposal' && x.patientId === patientId),
    ).toBe(true);
    const [row] = await t.runtime.dataSource.query(`SELECT status FROM treatment_series WHERE id = $1`, [seriesId]);
    expect(row.status).toBe('completed');
  });
});
