import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { onHand, product, readyToStart, receive, registration, type Product } from './support/ledger.js';
import { consentForm } from './support/sessions.js';

const api = '/api/v1';

/**
 * Starting a session names the vial or kit its dose is drawn from: the ledger records the draw in the
 * start's transaction, in the container's unit, and at the end of dosing the dose actually given.
 */
describe('controlled substances: administration from a container', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  let reg: string;
  let vial10: Product;
  let vial50: Product;
  let kit84: Product;
  let ketamineForm: string;
  const clock = new MovableClock();

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    [a, b] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
    reg = (await registration(t.http, a)).id;
    [vial10, vial50, kit84] = await Promise.all([
      product(t.http, a, { mgPerMl: 10 }),
      product(t.http, a, { mgPerMl: 50 }),
      product(t.http, a, { devices: 3 }),
    ]);
    ketamineForm = await consentForm(t.http, a);
    remsForm = await consentForm(t.http, a, 'esketamine-rems-enrollment');
    ready = readyToStart(t.http, a, () => clock.now(), ketamineForm);
  });
  afterAll(() => t.close());

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const minutes = (m: number) => clock.advanceDays(m / (24 * 60));
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T[]>(sql, params);
  const start = (id: string, body: object) => post(`/sessions/${id}/start`, a.token.nurse, body);
  const ketamineDose = (containerId: string) => ({ doseMgPerKg: 0.5, concentrationMgPerMl: 1, containerId });

  let ready: ReturnType<typeof readyToStart>;
  let remsForm: string;
  const ivReady = () => ready.iv();
  const esketamineReady = (hadFirstDose = false) => ready.esketamine(remsForm, t.runtime.dataSource, hadFirstDose);

  const eventsOf = (sessionId: string) =>
    q(
      `SELECT kind, quantity::float, unit, quantity_mg::float AS mg, delta::float, balance_after::float AS after, patient_id, actor_user_id, data
         FROM cs_events WHERE session_id = $1 ORDER BY recorded_at`,
      [sessionId],
    );
  const balanceOf = async (containerId: string) =>
    (await q<{ balance: number; status: string }>(`SELECT balance::float, status FROM cs_containers WHERE id = $1`, [containerId]))[0];

  it('a 35 mg infusion from a 50 mg/mL vial draws 0.7 mL in the start’s transaction, and the session takes the vial’s lot', async () => {
    const [vial] = await receive(t.http, a, reg, vial50);
    const id = await ivReady();
    const started = await start(id, ketamineDose(vial)).expect(200);
    expect(started.body.dose).toMatchObject({ doseMg: 35 });
    const [s] = await q(`SELECT patient_id FROM sessions WHERE id = $1`, [id]);
    expect(await eventsOf(id)).toEqual([
      expect.objectContaining({
        kind: 'administer',
        quantity: 0.7,
        unit: 'mL',
        mg: 35,
        delta: -0.7,
        after: 9.3,
        patient_id: s.patient_id,
        actor_user_id: a.nurse.id,
      }),
    ]);
    expect(await balanceOf(vial)).toEqual({ balance: 9.3, status: 'open' });
    const [given] = await q(`SELECT lot_number FROM dose_administrations WHERE session_id = $1`, [id]);
    const [container] = await q(`SELECT lot FROM cs_containers WHERE id = $1`, [vial]);
    expect(given.lot_number).toBe(container.lot);
    const audit = await q(
      `SELECT action FROM audit_events WHERE action IN ('ledger.administer', 'session.start') AND resource_id IN ($1, $2)`,
      [vial, id],
    );
    expect(audit.map((r) => r.action).sort()).toEqual(['ledger.administer', 'session.start']);
  });

  it('an abort at minute 15 records 13.1 mg given of 35 drawn: 0.438 mL drawn but not given', async () => {
    const [vial] = await receive(t.http, a, reg, vial50);
    const id = await ivReady();
    await start(id, ketamineDose(vial)).expect(200);
    minutes(15);
    await post(`/sessions/${id}/abort`, a.token.nurse, { reason: 'blood pressure rising' }).expect(200);
    const [, reconciled] = await eventsOf(id);
    expect(reconciled).toMatchObject({ kind: 'reconcile', quantity: 0.262, mg: 13.1, delta: 0, after: 9.3 });
    expect(reconciled.data).toMatchObject({ drawn: 0.7, drawnMg: 35, given: 0.262, givenMg: 13.1, leftover: 0.438, leftoverMg: 21.9 });
  });

  it('esketamine: 84 mg from a 3-device kit is 3 devices with nothing left over; 56 mg from another leaves 1 device on hand', async () => {
    const [kitA, kitB] = await receive(t.http, a, reg, kit84, 2);
    const full = await esketamineReady(true);
    await start(full, { doseMg: 84, containerId: kitA }).expect(200);
    minutes(15);
    await post(`/sessions/${full}/end-dosing`, a.token.nurse).expect(200);
    expect(await eventsOf(full)).toEqual([
      expect.objectContaining({ kind: 'administer', quantity: 3, unit: 'device', mg: 84, after: 0 }),
      expect.objectContaining({ kind: 'reconcile', quantity: 3, mg: 84, data: expect.objectContaining({ leftover: 0 }) }),
    ]);
    expect(await balanceOf(kitA)).toEqual({ balance: 0, status: 'empty' });

    const first = await esketamineReady();
    await start(first, { doseMg: 56, containerId: kitB }).expect(200);
    expect(await balanceOf(kitB)).toEqual({ balance: 1, status: 'open' });
    const [kitLot] = await q(`SELECT lot FROM cs_containers WHERE id = $1`, [kitB]);
    expect((await onHand(t.http, a)).lines.find((l) => l.lot === kitLot.lot)).toMatchObject({
      containers: 1,
      open: 1,
      quantity: 1,
      quantityMg: 28,
    });
  });

  describe('a container that cannot give the dose refuses the start, naming why, and nothing is written', () => {
    const refused = async (sessionId: string, body: object, status: number, codes: string[]) => {
      const res = await start(sessionId, body);
      expect(res.status).toBe(status);
      expect(res.body.details.map((d: { code?: string; field?: string }) => d.code ?? d.field)).toEqual(codes);
      const [s] = await q(`SELECT status FROM sessions WHERE id = $1`, [sessionId]);
      expect(s.status).toBe('ready');
      expect(await eventsOf(sessionId)).toEqual([]);
    };

    it('expired, quarantined, another substance', async () => {
      const [expired, quarantined] = await receive(t.http, a, reg, vial50, 2);
      await q(`UPDATE cs_containers SET expires_on = '2020-01-31' WHERE id = $1`, [expired]);
      await q(`UPDATE cs_containers SET status = 'quarantined', status_reason = 'seal broken' WHERE id = $1`, [quarantined]);
      const [kit] = await receive(t.http, a, reg, kit84);
      const id = await ivReady();
      await refused(id, ketamineDose(expired), 422, ['CS_CONTAINER_EXPIRED']);
      await refused(id, ketamineDose(quarantined), 422, ['CS_CONTAINER_QUARANTINED']);
      await refused(id, ketamineDose(kit), 422, ['CS_WRONG_SUBSTANCE']);
    });

    it('a patient without an address on file (the record of an administration names it)', async () => {
      const [vial] = await receive(t.http, a, reg, vial50);
      const id = await ivReady();
      await q(`UPDATE patients SET address = NULL WHERE id = (SELECT patient_id FROM sessions WHERE id = $1)`, [id]);
      await refused(id, ketamineDose(vial), 422, ['CS_PATIENT_ADDRESS_MISSING']);
    });

    it('empty, or holding less than the dose (CS_BALANCE_NEGATIVE)', async () => {
      const [kit, low] = await receive(t.http, a, reg, kit84, 2);
      const emptied = await esketamineReady(true);
      await start(emptied, { doseMg: 84, containerId: kit }).expect(200);
      const id = await esketamineReady();
      await refused(id, { doseMg: 56, containerId: kit }, 422, ['CS_CONTAINER_EMPTY']);
      const first = await esketamineReady();
      await start(first, { doseMg: 56, containerId: low }).expect(200);
      await refused(id, { doseMg: 56, containerId: low }, 422, ['CS_BALANCE_NEGATIVE']);
    });

    it('a container of no clinic or another clinic’s (400), a lot typed that is not the container’s (400)', async () => {
      const theirReg = (await registration(t.http, b)).id;
      const [theirs] = await receive(t.http, b, theirReg, vial50);
      const [ours] = await receive(t.http, a, reg, vial50);
      const id = await ivReady();
      await refused(id, ketamineDose(theirs), 400, ['containerId']);
      await refused(id, ketamineDose('00000000-0000-4000-8000-000000000000'), 400, ['containerId']);
      await refused(id, { ...ketamineDose(ours), lotNumber: 'SOME-OTHER-LOT' }, 400, ['lotNumber']);
      expect(await balanceOf(ours)).toEqual({ balance: 10, status: 'sealed' });
    });
  });

  it('20 nurses starting at once from one 200 mg vial: 5 doses of 35 mg are drawn, the others refused, never below zero', async () => {
    const [vial] = await receive(t.http, a, reg, vial10);
    const sessions: string[] = [];
    for (let i = 0; i < 20; i += 4) sessions.push(...(await Promise.all([0, 1, 2, 3].map(() => ivReady()))));
    const answers = await Promise.all(sessions.map((id) => start(id, ketamineDose(vial))));
    expect(answers.filter((r) => r.status >= 500)).toEqual([]);
    // A request still waiting for the vial after a second is told to try again (409 CONFLICT): it is, until it is answered.
    const final = await Promise.all(
      answers.map(async (res, i) => {
        let r = res;
        while (r.status === 409) r = await start(sessions[i], ketamineDose(vial));
        return r;
      }),
    );
    const codes = final.map((r) => (r.status === 200 ? 'drawn' : `${r.status} ${r.body.code}`)).sort();
    expect(codes).toEqual([...Array(5).fill('drawn'), ...Array(15).fill('422 CS_BALANCE_NEGATIVE')].sort());
    expect(await balanceOf(vial)).toEqual({ balance: 2.5, status: 'open' });
    const [sums] = await q(
      `SELECT sum(delta)::float AS total, min(balance_after)::float AS lowest, count(*) FILTER (WHERE kind = 'administer')::int AS draws
         FROM cs_events WHERE container_id = $1`,
      [vial],
    );
    expect(sums).toEqual({ total: 2.5, lowest: 2.5, draws: 5 });
  }, 120_000);

  // A clinic with no DEA registration in Vigil keeps typing lots (the dose-delivery and session tests start that way).
  it('in a clinic that keeps its controlled substances in Vigil, a start with only a typed lot is refused naming containerId, and nothing is written', async () => {
    const id = await ivReady();
    const typed = await start(id, { doseMgPerKg: 0.5, concentrationMgPerMl: 1, lotNumber: 'L-77' });
    expect(typed.status).toBe(400);
    expect(typed.body.details).toEqual([
      expect.objectContaining({ field: 'containerId', message: expect.stringContaining('name the container') }),
    ]);
    expect(await eventsOf(id)).toEqual([]);
    expect((await q(`SELECT status FROM sessions WHERE id = $1`, [id]))[0]).toMatchObject({ status: 'ready' });
    expect(await q(`SELECT id FROM dose_administrations WHERE session_id = $1`, [id])).toEqual([]);
    const missing = await ivReady();
    const res = await start(missing, { doseMgPerKg: 0.5, concentrationMgPerMl: 1 });
    expect(res.status).toBe(400);
    expect(new Set(res.body.details.map((d: { field: string }) => d.field))).toEqual(new Set(['lotNumber']));
  });
});
