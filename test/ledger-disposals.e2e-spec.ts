import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, PASSWORD, type Staff } from './support/factories.js';
import { onHand, product, randomDeaNumber, readyToStart, receive, registration, witnessedBy, type Product } from './support/ledger.js';
import { consentForm } from './support/sessions.js';

const api = '/api/v1';

/**
 * Stock that leaves other than by administration: destroyed on site (the DEA Form 41 record) or
 * handed to a reverse distributor, each witnessed by two employees who sign with their passwords.
 * The containers close out: their balance goes to zero and nothing is drawn, wasted or counted again.
 */
describe('controlled substances: destruction and transfer to a reverse distributor', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  let reg: string;
  let vial50: Product;
  let kit84: Product;
  let ketamineForm: string;
  const clock = new MovableClock();

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    [a, b] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
    reg = (await registration(t.http, a)).id;
    [vial50, kit84] = await Promise.all([product(t.http, a, { mgPerMl: 50 }), product(t.http, a, { devices: 3 })]);
    ketamineForm = await consentForm(t.http, a);
  });
  afterAll(() => t.close());

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T[]>(sql, params);
  const sign = (userId: string, password = PASSWORD) => ({ userId, password });
  const twoWitnesses = () => [sign(a.nurse.id), sign(a.admin.id)];
  const destruction = (containerIds: string[], extra: object = {}) => ({
    containerIds,
    reason: 'expired on the shelf',
    method: 'denaturing kit (activated charcoal), sealed and discarded',
    location: 'medication room, 1 Main St',
    witnesses: twoWitnesses(),
    ...extra,
  });
  const transfer = (containerIds: string[], extra: object = {}) => ({
    containerIds,
    reason: 'recalled lot',
    distributorName: 'Return Solutions Inc.',
    distributorAddress: '55 Commerce Way, Albany NY',
    distributorDeaNumber: 'RB1234563',
    reference: 'RS-2026-0042',
    witnesses: twoWitnesses(),
    ...extra,
  });
  const containerOf = async (id: string) =>
    (
      await q<{ balance: number; status: string; lot: string }>(`SELECT balance::float, status, lot FROM cs_containers WHERE id = $1`, [id])
    )[0];
  const eventCount = async () =>
    (await q<{ n: number }>(`SELECT count(*)::int AS n FROM cs_events WHERE clinic_id = $1`, [a.clinic.id]))[0].n;

  it('destroys a sealed expired vial and an opened one: the Form 41 lines, two witnesses, the containers closed out', async () => {
    const [sealed, opened] = await receive(t.http, a, reg, vial50, 2);
    await post('/ledger/waste', a.token.nurse, {
      containerId: opened,
      unit: 'mL',
      quantity: 2.5,
      reason: 'vial dropped, part spilled',
      ...witnessedBy(a.anesthesiologist.id),
    }).expect(201);
    const lot = (await containerOf(sealed)).lot;
    const res = await post('/ledger/destructions', a.token.anesthesiologist, destruction([sealed, opened])).expect(201);
    expect(res.body).toMatchObject({
      kind: 'destruction',
      reason: 'expired on the shelf',
      method: 'denaturing kit (activated charcoal), sealed and discarded',
      location: 'medication room, 1 Main St',
      distributorDeaNumber: null,
      actorUserId: a.anesthesiologist.id,
      witnesses: [
        { userId: a.nurse.id, name: a.nurse.name },
        { userId: a.admin.id, name: a.admin.name },
      ],
      registrant: { name: 'Harbor Clinic', deaNumber: 'AB1234563', address: '1 Main St, Boston MA' },
      totals: { ketamineMg: 875, esketamineDevices: 0 },
    });
    // Form 41: a full package counted whole, the opened one as a partial quantity.
    expect(res.body.items).toEqual([
      expect.objectContaining({
        containerId: sealed,
        lot,
        deaCode: 7285,
        fullPackages: 1,
        partialQuantity: 0,
        quantity: 10,
        unit: 'mL',
        mg: 500,
      }),
      expect.objectContaining({ containerId: opened, fullPackages: 0, partialQuantity: 7.5, quantity: 7.5, mg: 375 }),
    ]);
    expect(res.body.items[0]).toMatchObject({
      finishedForm: 'injection, 50 mg/mL',
      unitsPerContainer: '10 mL per vial',
      ndc: '0409-2051-05',
    });
    for (const id of [sealed, opened]) expect(await containerOf(id)).toMatchObject({ balance: 0, status: 'destroyed' });
    const events = await q(
      `SELECT kind, delta::float, balance_after::float AS after, witness_user_id, disposal_id FROM cs_events
        WHERE container_id = $1 AND kind = 'destroy'`,
      [opened],
    );
    expect(events).toEqual([{ kind: 'destroy', delta: -7.5, after: 0, witness_user_id: a.nurse.id, disposal_id: res.body.id }]);
    expect((await onHand(t.http, a)).lines.find((l) => l.lot === lot)).toBeUndefined();
    const [audit] = await q(`SELECT action, changes FROM audit_events WHERE resource_id = $1`, [res.body.id]);
    expect(audit).toMatchObject({ action: 'ledger.destroy', changes: { witnesses: [a.nurse.id, a.admin.id] } });
    const read = await t.http.get(`${api}/ledger/disposals/${res.body.id}`).set(bearer(a.token.admin)).expect(200);
    expect(read.body).toEqual(res.body);
  });

  it('a closed-out container gives, wastes and counts nothing more: 422 naming why', async () => {
    const [vial] = await receive(t.http, a, reg, vial50);
    await post('/ledger/destructions', a.token.anesthesiologist, destruction([vial])).expect(201);
    const ready = readyToStart(t.http, a, () => clock.now(), ketamineForm);
    const session = await ready.iv();
    const start = await post(`/sessions/${session}/start`, a.token.nurse, {
      doseMgPerKg: 0.5,
      concentrationMgPerMl: 1,
      containerId: vial,
    }).expect(422);
    expect(start.body.details).toContainEqual(
      expect.objectContaining({ code: 'CS_CONTAINER_CLOSED', message: expect.stringContaining('was destroyed') }),
    );
    const witness = witnessedBy(a.anesthesiologist.id);
    const spill = await post('/ledger/waste', a.token.nurse, { containerId: vial, unit: 'mL', quantity: 1, reason: 'drop', ...witness });
    expect(spill.status).toBe(422);
    expect(spill.body.code).toBe('CS_CONTAINER_CLOSED');
    const count = await post('/ledger/counts', a.token.nurse, { containerId: vial, unit: 'mL', counted: 0, ...witness }).expect(422);
    expect(count.body.code).toBe('CS_CONTAINER_CLOSED');
    const again = await post('/ledger/transfers', a.token.anesthesiologist, transfer([vial])).expect(422);
    expect(again.body.details).toEqual([expect.objectContaining({ code: 'CS_CONTAINER_CLOSED', status: 'destroyed' })]);
  });

  describe('two employee witnesses, each signing with their own password', () => {
    let vial: string;
    beforeAll(async () => {
      [vial] = await receive(t.http, a, reg, vial50);
    });

    it.each([
      ['one witness only', () => [sign(a.nurse.id)], 'CS_TWO_WITNESSES_REQUIRED'],
      ['no witness', () => [], 'CS_TWO_WITNESSES_REQUIRED'],
      ['the same witness twice', () => [sign(a.nurse.id), sign(a.nurse.id)], 'CS_WITNESSES_SAME'],
      ['the actor as a witness', () => [sign(a.nurse.id), sign(a.anesthesiologist.id)], 'WITNESS_IS_ACTOR'],
      ['a wrong password', () => [sign(a.nurse.id), sign(a.admin.id, 'not the password')], 'WITNESS_NOT_VERIFIED'],
      ['a witness of another clinic', () => [sign(a.nurse.id), sign(b.nurse.id)], 'WITNESS_NOT_VERIFIED'],
    ])('refuses %s (422), writing nothing', async (_what, witnesses, code) => {
      const before = await eventCount();
      for (const [path, body] of [
        ['/ledger/destructions', destruction([vial], { witnesses: witnesses() })],
        ['/ledger/transfers', transfer([vial], { witnesses: witnesses() })],
      ] as const) {
        const res = await post(path, a.token.anesthesiologist, body).expect(422);
        expect(res.body.code).toBe(code);
      }
      expect(await eventCount()).toBe(before);
      expect(await containerOf(vial)).toMatchObject({ balance: 10, status: 'sealed' });
    });

    it('three witnesses are a 400 naming witnesses; only anesthesiologists dispose of stock', async () => {
      const three = await post('/ledger/destructions', a.token.anesthesiologist, {
        ...destruction([vial]),
        witnesses: [...twoWitnesses(), sign(a.anesthesiologist.id)],
      }).expect(400);
      expect(three.body.details).toEqual([expect.objectContaining({ field: 'witnesses' })]);
      await post(
        '/ledger/destructions',
        a.token.nurse,
        destruction([vial], { witnesses: [sign(a.admin.id), sign(a.anesthesiologist.id)] }),
      ).expect(403);
      await post('/ledger/transfers', a.token.admin, transfer([vial])).expect(403);
    });
  });

  it('refuses an empty container and one whose count is unresolved, listing every container’s reason', async () => {
    const [emptied, disputed, fine] = await receive(t.http, a, reg, vial50, 3);
    await post('/ledger/waste', a.token.nurse, {
      containerId: emptied,
      unit: 'mL',
      quantity: 10,
      reason: 'vial shattered',
      ...witnessedBy(a.anesthesiologist.id),
    }).expect(201);
    const counted = await post('/ledger/counts', a.token.nurse, {
      containerId: disputed,
      unit: 'mL',
      counted: 9,
      ...witnessedBy(a.anesthesiologist.id),
    }).expect(201);
    const res = await post('/ledger/destructions', a.token.anesthesiologist, destruction([emptied, disputed, fine])).expect(422);
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'CS_CONTAINER_EMPTY' }),
        expect.objectContaining({ code: 'CS_DISCREPANCY_OPEN', discrepancyId: counted.body.discrepancyId }),
      ]),
    );
    expect(res.body.details).toHaveLength(2);
    expect(await containerOf(fine)).toMatchObject({ balance: 10, status: 'sealed' });
    await post(`/ledger/discrepancies/${counted.body.discrepancyId}/resolve`, a.token.anesthesiologist, {
      resolution: 'a drop spilled at the last draw; recount confirms 9 mL',
      correctBalance: true,
    }).expect(200);
    const done = await post('/ledger/destructions', a.token.anesthesiologist, destruction([disputed, fine])).expect(201);
    expect(done.body.items.map((i: { quantity: number }) => i.quantity).sort()).toEqual([10, 9]);
  });

  it('containers of two registrations, or of no clinic of yours, are a 400 naming containerIds', async () => {
    const other = (await registration(t.http, a, { deaNumber: randomDeaNumber() })).id;
    const [mine] = await receive(t.http, a, reg, vial50);
    const [theirs] = await receive(t.http, a, other, vial50);
    const two = await post('/ledger/destructions', a.token.anesthesiologist, destruction([mine, theirs])).expect(400);
    expect(two.body.details).toEqual([
      expect.objectContaining({ field: 'containerIds', message: expect.stringContaining('two DEA registrations') }),
    ]);
    const bReg = (await registration(t.http, b)).id;
    const [bVial] = await receive(t.http, b, bReg, vial50);
    const foreign = await post('/ledger/destructions', a.token.anesthesiologist, destruction([bVial])).expect(400);
    expect(foreign.body.details).toEqual([expect.objectContaining({ field: 'containerIds' })]);
    expect(await containerOf(bVial)).toMatchObject({ balance: 10, status: 'sealed' });
  });

  it('transfers kits to a reverse distributor whose DEA number is checked: name, address, DEA number and quantities kept', async () => {
    const [kit, vial] = [...(await receive(t.http, a, reg, kit84)), ...(await receive(t.http, a, reg, vial50))];
    const typo = await post('/ledger/transfers', a.token.anesthesiologist, transfer([kit], { distributorDeaNumber: 'RB1234564' })).expect(
      400,
    );
    expect(typo.body.details).toEqual([{ field: 'distributorDeaNumber', message: expect.stringContaining('check digit should be 3') }]);
    const res = await post('/ledger/transfers', a.token.anesthesiologist, transfer([kit, vial])).expect(201);
    expect(res.body).toMatchObject({
      kind: 'transfer',
      method: null,
      location: null,
      distributorName: 'Return Solutions Inc.',
      distributorAddress: '55 Commerce Way, Albany NY',
      distributorDeaNumber: 'RB1234563',
      reference: 'RS-2026-0042',
      totals: { ketamineMg: 500, esketamineDevices: 3 },
    });
    expect(res.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          containerId: kit,
          quantity: 3,
          unit: 'device',
          mg: 84,
          fullPackages: 1,
          unitsPerContainer: '3 devices per kit',
        }),
        expect.objectContaining({ containerId: vial, quantity: 10, unit: 'mL' }),
      ]),
    );
    expect(await containerOf(kit)).toMatchObject({ balance: 0, status: 'transferred' });
    const list = await t.http.get(`${api}/ledger/disposals?limit=50`).set(bearer(a.token.admin)).expect(200);
    expect(list.body.items[0].id).toBe(res.body.id);
    await t.http.get(`${api}/ledger/disposals/${res.body.id}`).set(bearer(b.token.admin)).expect(404);
  });
});
