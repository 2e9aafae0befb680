import { AuditEvent } from '../libs/platform/src/index.js';
import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { expectPagingRefusals, walkPages } from './support/paging.js';

describe('protocols and the dose calculation', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  const clock = new MovableClock();
  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    b = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());
  afterEach(() => clock.reset());

  const dose = (staff: Staff, patientId: string, query: Record<string, string | number>, role: 'nurse' | 'anesthesiologist' = 'nurse') =>
    t.http.get(`/api/v1/patients/${patientId}/dose-calculation`).query(query).set(bearer(staff.token[role]));

  it('pages the protocols by key; a clinic’s edit is the version it sees, in the same place', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    await t.http
      .patch('/api/v1/protocols/ketamine-iv-standard')
      .set(bearer(staff.token.anesthesiologist))
      .send({ minObservationMin: 45, reason: 'our observation room' })
      .expect(200);
    for (const size of [1, 3]) {
      const all = await walkPages<{ key: string; version: number }>(t.http, '/api/v1/protocols', staff.token.nurse, size);
      expect(all.map((p) => `${p.key} ${p.version}`)).toEqual([
        'esketamine-trd 1',
        'ketamine-im 1',
        'ketamine-iv-escalation 1',
        'ketamine-iv-standard 2',
      ]);
    }
    await expectPagingRefusals(t.http, '/api/v1/protocols', staff.token.nurse);
  });

  it('seeds the four protocols of clinical-rules.md section 1, with their sources', async () => {
    const res = await t.http.get('/api/v1/protocols').set(bearer(a.token.admin)).expect(200);
    expect(res.body.items.map((p: { key: string }) => p.key)).toEqual([
      'esketamine-trd',
      'ketamine-im',
      'ketamine-iv-escalation',
      'ketamine-iv-standard',
    ]);
    const esk = res.body.items.find((p: { key: string }) => p.key === 'esketamine-trd');
    expect(esk).toMatchObject({
      route: 'intranasal',
      minObservationMin: 120,
      observationFrom: 'first-dose',
      requiredConsentKinds: ['esketamine-rems-enrollment'],
      doseRule: { kind: 'fixed-devices', deviceMg: 28, allowedDosesMg: [56, 84], firstDoseMg: 56 },
      vitals: { checkpointsMin: [40] },
      preSession: { baselineMaxSystolic: 140, baselineMaxDiastolic: 90, fastingFoodMin: 120, fastingLiquidsMin: 30 },
      thresholds: {},
      effectiveThresholds: {
        systolic: { high: { warning: 160, critical: 180 }, low: { warning: 90, critical: 80 }, riseWarning: 40 },
        diastolic: { high: { warning: 100, critical: 110 }, riseWarning: 25 },
        heartRate: { high: { warning: 110, critical: 130 }, low: { warning: 50, critical: 40 } },
        spo2: { low: { warning: 94, critical: 90 } },
        moaas: { dropWarning: 1, criticalAtOrBelow: 1 },
      },
      clinicEdited: false,
      version: 1,
    });
    expect(esk.sources.minObservationMin).toMatch(/LABEL/);
    const iv = res.body.items.find((p: { key: string }) => p.key === 'ketamine-iv-standard');
    expect(iv).toMatchObject({
      durationMin: 40,
      minObservationMin: 30,
      doseLimits: { minMgPerKg: 0.1, maxMgPerKg: 1, maxStepMgPerKg: 0.25 },
    });
    expect(iv.sources.minObservationMin).toMatch(/set by the medical director/);
  });

  it('returns the worked examples of section 1', async () => {
    const p70 = await createPatient(t.http, a.token.nurse, { weightKg: 70 });
    const first = await dose(a, p70.id, { protocol: 'ketamine-iv-standard', concentrationMgPerMl: 1 }).expect(200);
    expect(first.body).toMatchObject({
      weightKg: 70,
      weightBasis: 'actual',
      mgPerKg: 0.5,
      orderedDoseMg: 35,
      doseMg: 35,
      durationMin: 40,
      rateMgPerH: 52.5,
      rateMlPerH: 52.5,
      volumeMl: 35,
      protocolVersion: 1,
    });
    const p80 = await createPatient(t.http, a.token.nurse, { weightKg: 80 });
    const second = await dose(a, p80.id, { protocol: 'ketamine-iv-escalation', mgPerKg: 0.75, concentrationMgPerMl: 1 }).expect(200);
    expect(second.body).toMatchObject({ orderedDoseMg: 60, durationMin: 45, rateMgPerH: 80, rateMlPerH: 80 });
    const im = await dose(a, p70.id, { protocol: 'ketamine-im' }).expect(200);
    expect(im.body).toMatchObject({ doseMg: 35, durationMin: null, rateMlPerH: null });
    const trail = await t.runtime.dataSource.getRepository(AuditEvent).countBy({ action: 'patient.dose-calculation', resourceId: p70.id });
    expect(trail).toBe(2);
  });

  it('esketamine: 56 mg in two devices first; 84 mg before a 56 mg session and other doses are refused', async () => {
    const p = await createPatient(t.http, a.token.nurse);
    const first = await dose(a, p.id, { protocol: 'esketamine-trd' }).expect(200);
    expect(first.body).toMatchObject({ doseMg: 56, devices: 2, deviceMg: 28, durationMin: 10 });
    const early = await dose(a, p.id, { protocol: 'esketamine-trd', doseMg: 84 }).expect(422);
    expect(early.body.details).toEqual([expect.objectContaining({ code: 'DOSE_BEFORE_FIRST_DOSE', overridable: false })]);
    const odd = await dose(a, p.id, { protocol: 'esketamine-trd', doseMg: 70 }, 'anesthesiologist').expect(422);
    expect(odd.body.details[0]).toMatchObject({ code: 'DOSE_NOT_ALLOWED', overridable: false });
    await dose(a, p.id, { protocol: 'esketamine-trd', doseMg: 70, override: 'DOSE_NOT_ALLOWED' }, 'anesthesiologist').expect(422);
    await dose(a, p.id, { protocol: 'esketamine-trd', mgPerKg: 0.5 }).expect(400);
  });

  it('an out-of-range dose is refused unless an anesthesiologist orders it', async () => {
    const p = await createPatient(t.http, a.token.nurse, { weightKg: 70 });
    const high = await dose(a, p.id, { protocol: 'ketamine-iv-standard', mgPerKg: 1.2 }).expect(422);
    expect(high.body.details).toEqual([expect.objectContaining({ code: 'DOSE_ABOVE_MAX', overridable: true })]);
    const low = await dose(a, p.id, { protocol: 'ketamine-iv-standard', mgPerKg: 0.05 }).expect(422);
    expect(low.body.details[0].code).toBe('DOSE_BELOW_MIN');
    await dose(a, p.id, { protocol: 'ketamine-iv-standard', mgPerKg: 1.2, override: 'DOSE_ABOVE_MAX' }, 'nurse').expect(403);
    const ordered = await dose(
      a,
      p.id,
      { protocol: 'ketamine-iv-standard', mgPerKg: 1.2, override: 'DOSE_ABOVE_MAX' },
      'anesthesiologist',
    ).expect(200);
    expect(ordered.body).toMatchObject({ orderedDoseMg: 84, overridden: ['DOSE_ABOVE_MAX'] });
  });

  it('refuses a weight older than 30 days, and a patient without a current weight, until weighed again', async () => {
    const p = await createPatient(t.http, a.token.nurse, { weightKg: 70 });
    clock.advanceDays(31);
    const stale = await dose(a, p.id, { protocol: 'ketamine-iv-standard' }).expect(422);
    expect(stale.body.details).toEqual([expect.objectContaining({ code: 'WEIGHT_OUT_OF_DATE', overridable: false })]);
    await t.http
      .post(`/api/v1/patients/${p.id}/weights`)
      .set(bearer(a.token.nurse))
      .send({ value: 68, unit: 'kg', measuredAt: clock.now().toISOString() })
      .expect(201);
    const fresh = await dose(a, p.id, { protocol: 'ketamine-iv-standard' }).expect(200);
    expect(fresh.body).toMatchObject({ weightKg: 68, orderedDoseMg: 34 });
  });

  it('an unknown protocol is a 400 naming the field', async () => {
    const p = await createPatient(t.http, a.token.nurse);
    const res = await dose(a, p.id, { protocol: 'ketamine-oral' }).expect(400);
    expect(res.body.details[0].field).toBe('protocol');
    await dose(a, p.id, {}).expect(400);
    await dose(a, p.id, { protocol: 'ketamine-iv-standard', mgPerKg: 'lots' }).expect(400);
  });

  it('an anesthesiologist edits a protocol: a new version for the clinic only, audited with old and new values and the reason', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    const res = await t.http
      .patch('/api/v1/protocols/ketamine-iv-standard')
      .set(bearer(staff.token.anesthesiologist))
      .send({ minObservationMin: 45, reason: 'medical director: longer observation for first sessions', version: 1 })
      .expect(200);
    expect(res.body).toMatchObject({ key: 'ketamine-iv-standard', version: 2, minObservationMin: 45, clinicEdited: true });
    const trail = await t.runtime.dataSource
      .getRepository(AuditEvent)
      .findOneByOrFail({ action: 'protocol.edit', resourceId: res.body.id });
    expect(trail.changes).toMatchObject({
      key: 'ketamine-iv-standard',
      fromVersion: 1,
      toVersion: 2,
      reason: 'medical director: longer observation for first sessions',
      before: { minObservationMin: 30 },
      after: { minObservationMin: 45 },
    });
    expect(trail.actorUserId).toBe(staff.anesthesiologist.id);
    const mine = await t.http.get('/api/v1/protocols/ketamine-iv-standard').set(bearer(staff.token.nurse)).expect(200);
    expect(mine.body.minObservationMin).toBe(45);
    const others = await t.http.get('/api/v1/protocols/ketamine-iv-standard').set(bearer(b.token.nurse)).expect(200);
    expect(others.body).toMatchObject({ minObservationMin: 30, version: 1 });
    // A session started on version 1 keeps it: versions are immutable rows.
    await expect(
      t.runtime.dataSource.query(`UPDATE protocol_versions SET min_observation_min = 1 WHERE id = $1`, [others.body.id]),
    ).rejects.toThrow(/immutable/);
    const stale = await t.http
      .patch('/api/v1/protocols/ketamine-iv-standard')
      .set(bearer(staff.token.anesthesiologist))
      .send({ minObservationMin: 50, reason: 'again', version: 1 })
      .expect(409);
    expect(stale.body.code).toBe('STALE_VERSION');
  });

  it('the label cannot be edited away: the esketamine 120-minute observation and dose rule', async () => {
    const below = await t.http
      .patch('/api/v1/protocols/esketamine-trd')
      .set(bearer(a.token.anesthesiologist))
      .send({ minObservationMin: 90, reason: 'try' })
      .expect(422);
    expect(below.body.details[0]).toMatchObject({ code: 'OBSERVATION_BELOW_LABEL', overridable: false });
    const rule = await t.http
      .patch('/api/v1/protocols/esketamine-trd')
      .set(bearer(a.token.anesthesiologist))
      .send({
        doseRule: { kind: 'fixed-devices', deviceMg: 28, allowedDosesMg: [28, 56, 84], firstDoseMg: 28, minutesBetweenDevices: 5 },
        reason: 'try',
      })
      .expect(422);
    expect(rule.body.details.map((d: { code: string }) => d.code)).toContain('LABEL_LOCKED');
    await t.http
      .patch('/api/v1/protocols/esketamine-trd')
      .set(bearer(a.token.anesthesiologist))
      .send({ minObservationMin: 150, reason: 'longer is allowed' })
      .expect(200);
  });

  it('a protocol overrides some of the clinic thresholds; the rest stay the clinic’s', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    const res = await t.http
      .patch('/api/v1/protocols/ketamine-im')
      .set(bearer(staff.token.anesthesiologist))
      .send({ thresholds: { systolic: { high: { warning: 150 } } }, reason: 'IM: tighter warning' })
      .expect(200);
    expect(res.body.thresholds).toEqual({ systolic: { high: { warning: 150 } } });
    expect(res.body.effectiveThresholds.systolic).toEqual({
      high: { warning: 150, critical: 180 },
      low: { warning: 90, critical: 80 },
      riseWarning: 40,
    });
    const bad = await t.http
      .patch('/api/v1/protocols/ketamine-im')
      .set(bearer(staff.token.anesthesiologist))
      .send({ thresholds: { systolic: { high: { warning: 'x' } }, pulse: 1 }, reason: 'bad' })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['thresholds.pulse', 'thresholds.systolic.high.warning']);
  });

  it('only anesthesiologists edit protocols; bad edits are 400 naming the field', async () => {
    for (const role of ['nurse', 'admin'] as const) {
      await t.http
        .patch('/api/v1/protocols/ketamine-im')
        .set(bearer(a.token[role]))
        .send({ minObservationMin: 40, reason: 'x y z' })
        .expect(403);
    }
    const bad = await t.http
      .patch('/api/v1/protocols/ketamine-im')
      .set(bearer(a.token.anesthesiologist))
      .send({ doseLimits: { minMgPerKg: 0.1, maxMgPerKg: 'high' }, reason: 'x y z' })
      .expect(400);
    const fields = bad.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['doseLimits.maxMgPerKg', 'doseLimits.maxStepMgPerKg']));
    const noReason = await t.http
      .patch('/api/v1/protocols/ketamine-im')
      .set(bearer(a.token.anesthesiologist))
      .send({ minObservationMin: 40 })
      .expect(400);
    expect(noReason.body.details[0].field).toBe('reason');
    await t.http
      .patch('/api/v1/protocols/nope')
      .set(bearer(a.token.anesthesiologist))
      .send({ minObservationMin: 40, reason: 'x y z' })
      .expect(404);
  });
});
