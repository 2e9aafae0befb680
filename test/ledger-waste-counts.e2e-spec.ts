import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, createUser, type Staff } from './support/factories.js';
import { product, receive, registration, shortReceipt, witnessedBy, type Product } from './support/ledger.js';
import { consentForm } from './support/sessions.js';

const api = '/api/v1';

/**
 * Waste signed by a witness who re-enters their own password in the same request, blind counts whose
 * variance opens a discrepancy, and an anesthesiologist's resolution, which corrects a balance only by
 * a new event pointing at the count.
 */
describe('controlled substances: witnessed waste, blind counts and discrepancies', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  let reg: string;
  let vial50: Product;
  let form: string;
  const clock = new MovableClock();

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    [a, b] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
    reg = (await registration(t.http, a)).id;
    vial50 = await product(t.http, a, { mgPerMl: 50 });
    form = await consentForm(t.http, a);
  });
  afterAll(() => t.close());

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T[]>(sql, params);
  const minutes = (m: number) => clock.advanceDays(m / (24 * 60));
  const reading = () => ({
    measuredAt: clock.now().toISOString(),
    source: 'manual',
    systolic: 122,
    diastolic: 78,
    heartRate: 72,
    spo2: 98,
  });
  const eventCount = async (containerId: string) =>
    (await q<{ n: number }>(`SELECT count(*)::int AS n FROM cs_events WHERE container_id = $1`, [containerId]))[0].n;
  const balanceOf = async (containerId: string) =>
    (await q<{ balance: number }>(`SELECT balance::float FROM cs_containers WHERE id = $1`, [containerId]))[0].balance;
  const waste = (token: string, body: object) => post('/ledger/waste', token, body);
  const count = (token: string, body: object) => post('/ledger/counts', token, body);

  /** A 35 mg infusion started from `containerId` (0.7 mL of a 50 mg/mL vial). */
  async function dosingFrom(containerId: string): Promise<string> {
    const patient = await createPatient(t.http, a.token.nurse, { weightKg: 70, address: '12 Harbor St, Boston MA 02110' });
    await post(`/patients/${patient.id}/consents`, a.token.nurse, {
      formId: form,
      signedAt: clock.now().toISOString(),
      signedByName: 'Ana Souza',
      method: 'in-person',
    }).expect(201);
    const { id } = (await post('/sessions', a.token.nurse, { patientId: patient.id, protocol: 'ketamine-iv-standard' }).expect(201)).body;
    await post(`/sessions/${id}/check-in`, a.token.nurse).expect(200);
    await post(`/sessions/${id}/pre-checks`, a.token.nurse, {
      transportHome: 'escort',
      pregnancyStatus: 'not-pregnant',
      cssrsScreener: 'negative',
    }).expect(200);
    await post(`/sessions/${id}/vitals`, a.token.nurse, reading()).expect(201);
    await post(`/sessions/${id}/start`, a.token.nurse, { doseMgPerKg: 0.5, concentrationMgPerMl: 1, containerId }).expect(200);
    return id as string;
  }

  describe('waste of the part of a dose drawn but not given', () => {
    it('is possible once the dose given is known, up to what is left of it, witnessed; it moves no balance', async () => {
      const [vial] = await receive(t.http, a, reg, vial50);
      const session = await dosingFrom(vial);
      const body = (quantity: number) => ({
        containerId: vial,
        sessionId: session,
        unit: 'mL',
        quantity,
        reason: 'rest of the infusion',
        ...witnessedBy(a.anesthesiologist.id),
      });
      const early = await waste(a.token.nurse, body(0.4)).expect(422);
      expect(early.body.code).toBe('CS_SESSION_NOT_RECONCILED');
      minutes(15);
      await post(`/sessions/${session}/abort`, a.token.nurse, { reason: 'blood pressure rising' }).expect(200);
      // 35 mg drawn (0.7 mL), 13.1 mg given (0.262 mL): 0.438 mL to waste.
      const over = await waste(a.token.nurse, body(0.5)).expect(422);
      expect(over.body.details).toEqual([expect.objectContaining({ code: 'CS_WASTE_EXCEEDS_LEFTOVER', left: 0.438, unit: 'mL' })]);
      const done = await waste(a.token.nurse, body(0.438)).expect(201);
      expect(done.body).toMatchObject({
        kind: 'waste',
        quantity: 0.438,
        unit: 'mL',
        quantityMg: 21.9,
        delta: 0,
        balanceAfter: 9.3,
        sessionId: session,
        actorUserId: a.nurse.id,
        witnessUserId: a.anesthesiologist.id,
        reason: 'rest of the infusion',
      });
      expect(await balanceOf(vial)).toBe(9.3);
      expect((await waste(a.token.nurse, body(0.001)).expect(422)).body.code).toBe('CS_WASTE_EXCEEDS_LEFTOVER');
    });

    it('a spill or breakage from the container itself lowers its balance, never below zero, never from expired stock', async () => {
      const [vial, expired] = await receive(t.http, a, reg, vial50, 2);
      const body = (containerId: string, quantity: number, unit = 'mL') => ({
        containerId,
        unit,
        quantity,
        reason: 'vial dropped',
        ...witnessedBy(a.nurse.id),
      });
      const spilled = await waste(a.token.anesthesiologist, body(vial, 1)).expect(201);
      expect(spilled.body).toMatchObject({ delta: -1, balanceAfter: 9, quantityMg: 50, sessionId: null });
      expect((await waste(a.token.anesthesiologist, body(vial, 9.5)).expect(422)).body.code).toBe('CS_BALANCE_NEGATIVE');
      const unit = await waste(a.token.anesthesiologist, body(vial, 1, 'device')).expect(400);
      expect(unit.body.details).toEqual([{ field: 'unit', message: expect.stringContaining('is counted in mL') }]);
      await q(`UPDATE cs_containers SET expires_on = '2020-01-31' WHERE id = $1`, [expired]);
      expect((await waste(a.token.anesthesiologist, body(expired, 1)).expect(422)).body.code).toBe('CS_CONTAINER_EXPIRED');
      expect(await balanceOf(vial)).toBe(9);
      expect(await balanceOf(expired)).toBe(10);
    });
  });

  describe('the witness signs with their own password, in the same request', () => {
    let vial: string;
    beforeAll(async () => {
      [vial] = await receive(t.http, a, reg, vial50);
    });
    const spill = (token: string, witness: object) =>
      waste(token, { containerId: vial, unit: 'mL', quantity: 0.1, reason: 'drop', ...witness });

    it.each([
      ['the actor themself', () => witnessedBy(a.nurse.id), 'WITNESS_IS_ACTOR'],
      ['a wrong password', () => ({ witnessUserId: a.anesthesiologist.id, witnessPassword: 'not the password' }), 'WITNESS_NOT_VERIFIED'],
      ['a user of another clinic', () => witnessedBy(b.anesthesiologist.id), 'WITNESS_NOT_VERIFIED'],
      ['an administrator (not at the cabinet)', () => witnessedBy(a.admin.id), 'WITNESS_NOT_VERIFIED'],
      ['a user who does not exist', () => witnessedBy('00000000-0000-4000-8000-000000000000'), 'WITNESS_NOT_VERIFIED'],
    ])('refuses %s (422), writing nothing to the ledger', async (_who, witness, code) => {
      const before = await eventCount(vial);
      const res = await spill(a.token.nurse, witness()).expect(422);
      expect(res.body.code).toBe(code);
      expect(await eventCount(vial)).toBe(before);
      expect(await count(a.token.nurse, { containerId: vial, unit: 'mL', counted: 10, ...witness() }).then((r) => r.body.code)).toBe(code);
    });

    it('never keeps the password; a refused signature is audited', async () => {
      await spill(a.token.nurse, { witnessUserId: a.anesthesiologist.id, witnessPassword: 'tr0ub4dor&3-guess' }).expect(422);
      const rows = await q(`SELECT changes::text AS c FROM audit_events WHERE clinic_id = $1 AND changes::text LIKE '%tr0ub4dor%'`, [
        a.clinic.id,
      ]);
      expect(rows).toEqual([]);
      const [refusal] = await q(
        `SELECT outcome, changes FROM audit_events WHERE action = 'witness.verify' AND resource_id = $1 ORDER BY occurred_at DESC LIMIT 1`,
        [a.anesthesiologist.id],
      );
      expect(refusal).toMatchObject({
        outcome: 'failure',
        changes: expect.objectContaining({ reason: 'wrong_password', what: 'controlled-substance waste' }),
      });
    });

    it('guessing a colleague’s password through the witness field is held back like sign-ins (429 after five)', async () => {
      const colleague = await createUser(t.runtime.dataSource, a.clinic.id, 'nurse');
      for (let i = 0; i < 5; i++)
        await spill(a.token.anesthesiologist, { witnessUserId: colleague.id, witnessPassword: `guess-${i}` }).expect(422);
      const held = await spill(a.token.anesthesiologist, witnessedBy(colleague.id)).expect(429);
      expect(held.body.code).toBe('RATE_LIMITED');
      expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('signed by a colleague present, the waste is recorded with them as witness', async () => {
      const res = await spill(a.token.nurse, witnessedBy(a.anesthesiologist.id)).expect(201);
      expect(res.body.witnessUserId).toBe(a.anesthesiologist.id);
    });
  });

  describe('blind counts and discrepancies', () => {
    it('a count as expected opens nothing; a count short opens a discrepancy, which an anesthesiologist resolves by correcting the balance', async () => {
      const [vial] = await receive(t.http, a, reg, vial50);
      const right = await count(a.token.nurse, {
        containerId: vial,
        unit: 'mL',
        counted: 10,
        ...witnessedBy(a.anesthesiologist.id),
      }).expect(201);
      expect(right.body).toMatchObject({
        expected: 10,
        variance: 0,
        discrepancyId: null,
        event: { kind: 'count', quantity: 10, delta: 0, balanceAfter: 10 },
      });

      const short = await count(a.token.nurse, {
        containerId: vial,
        unit: 'mL',
        counted: 9.5,
        ...witnessedBy(a.anesthesiologist.id),
      }).expect(201);
      expect(short.body).toMatchObject({ expected: 10, variance: -0.5, discrepancyId: expect.any(String) });
      const open = await t.http.get(`${api}/ledger/discrepancies?status=open`).set(bearer(a.token.admin)).expect(200);
      expect(open.body.items.find((d: { id: string }) => d.id === short.body.discrepancyId)).toMatchObject({
        kind: 'count-variance',
        containerId: vial,
        expected: 10,
        found: 9.5,
        variance: -0.5,
        unit: 'mL',
        status: 'open',
        eventId: short.body.event.id,
      });
      expect(await balanceOf(vial)).toBe(10);

      await post(`/ledger/discrepancies/${short.body.discrepancyId}/resolve`, a.token.nurse, { resolution: 'not mine to resolve' }).expect(
        403,
      );
      const resolved = await post(`/ledger/discrepancies/${short.body.discrepancyId}/resolve`, a.token.anesthesiologist, {
        resolution: 'recounted with a syringe: 9.5 mL; a waste was not charted',
        correctBalance: true,
      }).expect(200);
      expect(resolved.body).toMatchObject({ status: 'resolved', resolvedBy: a.anesthesiologist.id, correctionEventId: expect.any(String) });
      const [correction] = await q(
        `SELECT kind, delta::float, balance_after::float AS after, corrects_event_id FROM cs_events WHERE id = $1`,
        [resolved.body.correctionEventId],
      );
      expect(correction).toEqual({ kind: 'correction', delta: -0.5, after: 9.5, corrects_event_id: short.body.event.id });
      expect(await balanceOf(vial)).toBe(9.5);
      const again = await post(`/ledger/discrepancies/${short.body.discrepancyId}/resolve`, a.token.anesthesiologist, {
        resolution: 'second thoughts here',
      });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('ALREADY_RESOLVED');
    });

    it('a receipt’s discrepancy is resolved with a reason; its stock is what was counted, so no balance is corrected', async () => {
      const id = await shortReceipt(t.http, a, reg, vial50);
      const res = await post(`/ledger/discrepancies/${id}/resolve`, a.token.anesthesiologist, {
        resolution: 'supplier credit note',
        correctBalance: true,
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'correctBalance' })]);
      await post(`/ledger/discrepancies/${id}/resolve`, a.token.anesthesiologist, {
        resolution: 'supplier shipped one short; credit note received',
      }).expect(200);
    });

    it('another clinic’s discrepancy or container answers 404', async () => {
      const id = await shortReceipt(t.http, a, reg, vial50);
      await post(`/ledger/discrepancies/${id}/resolve`, b.token.anesthesiologist, { resolution: 'not ours to resolve at all' }).expect(404);
      const [vial] = await receive(t.http, a, reg, vial50);
      await post(`/ledger/containers/${vial}/quarantine`, b.token.anesthesiologist, { reason: 'seal broken' }).expect(404);
    });
  });

  it('a quarantined container gives nothing until an anesthesiologist releases it', async () => {
    const [vial] = await receive(t.http, a, reg, vial50);
    const set = await post(`/ledger/containers/${vial}/quarantine`, a.token.anesthesiologist, { reason: 'seal looks broken' }).expect(200);
    expect(set.body).toMatchObject({ status: 'quarantined', statusReason: 'seal looks broken' });
    await post(`/ledger/containers/${vial}/quarantine`, a.token.anesthesiologist, { reason: 'again' }).expect(409);
    const spill = await waste(a.token.nurse, {
      containerId: vial,
      unit: 'mL',
      quantity: 1,
      reason: 'drop',
      ...witnessedBy(a.anesthesiologist.id),
    });
    expect(spill.body.code).toBe('CS_CONTAINER_QUARANTINED');
    const released = await post(`/ledger/containers/${vial}/release`, a.token.anesthesiologist, {
      reason: 'seal intact under the light',
    }).expect(200);
    expect(released.body).toMatchObject({ status: 'sealed', statusReason: null });
    const kinds = await q<{ kind: string }>(`SELECT kind FROM cs_events WHERE container_id = $1 ORDER BY recorded_at`, [vial]);
    expect(kinds.map((k) => k.kind)).toEqual(['receipt', 'quarantine', 'release']);
  });
});
