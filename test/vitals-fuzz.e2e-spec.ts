import fc from 'fast-check';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { readySession, startBody, vitals } from './support/sessions.js';

const api = '/api/v1';

describe('vitals endpoints under random input, and threshold layers', () => {
  let t: TestApp;
  let s: Staff;
  let sessionId: string;
  beforeAll(async () => {
    t = await startTestApp();
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
    sessionId = await readySession(t.http, s);
    await t.http.post(`${api}/sessions/${sessionId}/start`).set(bearer(s.token.nurse)).send(startBody).expect(200);
  });
  afterAll(() => t.close());

  const json = (value: unknown) => JSON.stringify(value) ?? 'null';
  const weird = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.integer({ min: -1000, max: 1000 }),
    fc.double(),
    fc.constantFrom(
      null,
      '',
      '120',
      'NaN',
      1e308,
      -0,
      300,
      301,
      19,
      0,
      5.5,
      '2026-02-30T00:00:00Z',
      new Date(Date.now() + 3_600_000).toISOString(),
    ),
  );
  const mutated = fc
    .record({
      replace: fc.dictionary(
        fc.constantFrom(
          'measuredAt',
          'source',
          'deviceId',
          'systolic',
          'diastolic',
          'heartRate',
          'spo2',
          'respiratoryRate',
          'temperatureC',
          'moaas',
          'extra',
        ),
        weird,
        { maxKeys: 3 },
      ),
    })
    .map(({ replace }) => ({ ...vitals(), ...replace }));
  const readingCount = async () =>
    Number((await t.runtime.dataSource.query(`SELECT count(*)::int AS n FROM vital_readings WHERE session_id = $1`, [sessionId]))[0].n);

  it('POST /sessions/:id/vitals: never a 5xx; a refusal stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, weird), async (body) => {
        const before = await readingCount();
        const res = await t.http.post(`${api}/sessions/${sessionId}/vitals`).set(bearer(s.token.nurse)).type('json').send(json(body));
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(await readingCount()).toBe(before);
        else expect(await readingCount()).toBe(before + 1);
      }),
      { numRuns: 150 },
    );
  });

  it('POST /sessions/:id/vitals/batch: never a 5xx; all or nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.record({ readings: fc.array(fc.oneof(mutated, fc.constant(vitals())), { maxLength: 6 }) }), weird),
        async (body) => {
          const before = await readingCount();
          const res = await t.http
            .post(`${api}/sessions/${sessionId}/vitals/batch`)
            .set(bearer(s.token.nurse))
            .type('json')
            .send(json(body));
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expect(await readingCount()).toBe(before);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a patient override beats the protocol, which beats the clinic; every edit is audited', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    const doc = bearer(staff.token.anesthesiologist);
    await t.http
      .patch(`${api}/thresholds`)
      .set(doc)
      .send({ thresholds: { systolic: { high: { warning: 150 } } }, reason: 'clinic: stricter' })
      .expect(200);
    await t.http
      .patch(`${api}/protocols/ketamine-iv-standard`)
      .set(doc)
      .send({ thresholds: { systolic: { high: { warning: 155 } } }, reason: 'protocol' })
      .expect(200);
    const clinic = await t.http.get(`${api}/thresholds`).set(bearer(staff.token.nurse)).expect(200);
    expect(clinic.body.clinic.systolic.high.warning).toBe(150);
    expect(
      clinic.body.protocols.find((p: { protocol: string }) => p.protocol === 'ketamine-iv-standard').effective.systolic.high.warning,
    ).toBe(155);
    expect(clinic.body.protocols.find((p: { protocol: string }) => p.protocol === 'ketamine-im').effective.systolic.high.warning).toBe(150);

    const patient = await createPatient(t.http, staff.token.nurse);
    await t.http
      .put(`${api}/patients/${patient.id}/thresholds`)
      .set(bearer(staff.token.nurse))
      .send({ thresholds: {}, reason: 'no' })
      .expect(403);
    const bad = await t.http
      .put(`${api}/patients/${patient.id}/thresholds`)
      .set(doc)
      .send({ thresholds: { systolic: { high: { warning: -1 } } }, reason: 'bad' })
      .expect(400);
    expect(bad.body.details[0].field).toBe('thresholds.systolic.high.warning');
    await t.http
      .put(`${api}/patients/${patient.id}/thresholds`)
      .set(doc)
      .send({ thresholds: { systolic: { high: { warning: 170 } } }, reason: 'chronic hypertension, stable' })
      .expect(200);

    // A session of this patient: 165 breaches the clinic (150) and protocol (155) but not the patient's 170.
    const { consentForm } = await import('./support/sessions.js');
    const formId = await consentForm(t.http, staff);
    await t.http
      .post(`${api}/patients/${patient.id}/consents`)
      .set(bearer(staff.token.nurse))
      .send({ formId, signedAt: new Date().toISOString(), signedByName: 'Ana', method: 'in-person' })
      .expect(201);
    const id = await readySession(t.http, staff, { patientId: patient.id, baseline: { systolic: 135, diastolic: 80 } });
    await t.http.post(`${api}/sessions/${id}/start`).set(bearer(staff.token.nurse)).send(startBody).expect(200);
    const fine = await t.http
      .post(`${api}/sessions/${id}/vitals`)
      .set(bearer(staff.token.nurse))
      .send(vitals({ systolic: 165, diastolic: 80 }))
      .expect(201);
    expect(fine.body.alerts).toEqual([]);
    const high = await t.http
      .post(`${api}/sessions/${id}/vitals`)
      .set(bearer(staff.token.nurse))
      .send(vitals({ systolic: 171, diastolic: 80 }))
      .expect(201);
    expect(high.body.alerts).toEqual([expect.objectContaining({ measure: 'blood-pressure', level: 'warning' })]);
    const trail = await t.runtime.dataSource.query(
      `SELECT action FROM audit_events WHERE clinic_id = $1 AND action LIKE '%thresholds%' OR (clinic_id = $1 AND action = 'protocol.edit') ORDER BY occurred_at`,
      [staff.clinic.id],
    );
    expect(trail.map((r: { action: string }) => r.action)).toEqual(['thresholds.clinic.edit', 'protocol.edit', 'patient.thresholds.set']);
  });

  it('administrators set the escalation times; a new critical alert escalates on them', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    await t.http
      .patch(`${api}/clinic-settings`)
      .set(bearer(staff.token.nurse))
      .send({ appointmentTurnoverMin: 10, reason: 'no' })
      .expect(403);
    const inverted = await t.http
      .patch(`${api}/clinic-settings`)
      .set(bearer(staff.token.admin))
      .send({ escalation: { sessionAnesthesiologistAfterMin: 5, allAnesthesiologistsAfterMin: 3 }, reason: 'bad' })
      .expect(400);
    expect(inverted.body.details[0].field).toBe('escalation.allAnesthesiologistsAfterMin');
    const res = await t.http
      .patch(`${api}/clinic-settings`)
      .set(bearer(staff.token.admin))
      .send({ escalation: { sessionAnesthesiologistAfterMin: 3, allAnesthesiologistsAfterMin: 10 }, reason: 'medical director, 2026-11' })
      .expect(200);
    expect(res.body).toMatchObject({
      clinicEdited: true,
      appointmentTurnoverMin: 15,
      escalation: { sessionAnesthesiologistAfterMin: 3, allAnesthesiologistsAfterMin: 10 },
    });
    const id = await readySession(t.http, staff);
    await t.http.post(`${api}/sessions/${id}/start`).set(bearer(staff.token.nurse)).send(startBody).expect(200);
    const spike = await t.http
      .post(`${api}/sessions/${id}/vitals`)
      .set(bearer(staff.token.nurse))
      .send(vitals({ systolic: 190 }))
      .expect(201);
    const alert = spike.body.alerts[0] as { id: string; openedAt: string };
    const due = await t.runtime.dataSource.query(`SELECT kind, due_at FROM pending_work WHERE subject_id = $1 ORDER BY due_at`, [alert.id]);
    const minutes = due.map((r: { due_at: Date }) => Math.round((r.due_at.getTime() - new Date(alert.openedAt).getTime()) / 60_000));
    expect(minutes).toEqual([3, 10]);
    const badHours = await t.http
      .patch(`${api}/clinic-settings`)
      .set(bearer(staff.token.admin))
      .send({ openingHours: { mon: [['18:00', '08:00']], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, reason: 'bad' })
      .expect(400);
    expect(badHours.body.details[0].field).toBe('openingHours.mon[0]');
    const hours = {
      mon: [
        ['07:30', '12:00'],
        ['13:00', '19:00'],
      ],
      tue: [],
      wed: [],
      thu: [],
      fri: [],
      sat: [['09:00', '13:00']],
      sun: [],
    };
    const saved = await t.http
      .patch(`${api}/clinic-settings`)
      .set(bearer(staff.token.admin))
      .send({ openingHours: hours, reason: 'new hours' })
      .expect(200);
    expect(saved.body.openingHours).toEqual(hours);
    const other = await t.http.get(`${api}/clinic-settings`).set(bearer(s.token.admin)).expect(200);
    expect(other.body).toMatchObject({
      clinicEdited: false,
      escalation: { sessionAnesthesiologistAfterMin: 2, allAnesthesiologistsAfterMin: 5 },
    });
  });
});
