import { inventoryMilestones, LedgerAlerts } from '../libs/clinic/src/index.js';
import { JobName, PendingWork, TransactionRunner } from '../libs/platform/src/index.js';
import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { product, randomDeaNumber, receive, registration, witnessedBy, type Product } from './support/ledger.js';

const api = '/api/v1/ledger';

/**
 * Inventories (21 CFR 1304.11): the initial one first, then biennial and ad hoc ones, each listing
 * every container in stock, counted blind (sealed containers and devices exactly, opened vials as an
 * estimated measure) and signed by a witness; a line unlike the ledger opens a discrepancy, and an
 * initial or biennial inventory leaves the next one's reminders as rows the durable queue fires.
 */
describe('controlled substances: inventories', () => {
  let t: TestApp;
  let a: Staff;
  let vial50: Product;
  let kit84: Product;
  const clock = MovableClock.at('08:30', 'America/New_York');

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    [vial50, kit84] = await Promise.all([product(t.http, a, { mgPerMl: 50 }), product(t.http, a, { devices: 3 })]);
  });
  afterAll(() => t.close());

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T[]>(sql, params);
  const line = (containerId: string, quantity: number, unit = 'mL') => ({ containerId, unit, quantity });
  const take = (registrationId: string, kind: string, lines: object[], token = a.token.nurse, witness = a.anesthesiologist.id) =>
    post('/inventories', token, { registrationId, kind, timeOfDay: 'opening', lines, ...witnessedBy(witness) });
  const spill = (containerId: string, quantity: number) =>
    post('/waste', a.token.nurse, { containerId, unit: 'mL', quantity, reason: 'spilled', ...witnessedBy(a.anesthesiologist.id) }).expect(
      201,
    );
  const remindersOf = (registrationId: string) =>
    q<{ id: string; kind: string; basis: string; due_on: string; due_at: Date; work: string }>(
      `SELECT r.id, r.kind, to_char(r.basis, 'YYYY-MM-DD') AS basis, to_char(r.due_on, 'YYYY-MM-DD') AS due_on, r.due_at, w.status AS work
         FROM cs_reminders r JOIN pending_work w ON w.subject_id = r.id AND w.kind = 'ledger-reminder'
        WHERE r.registration_id = $1 AND r.kind LIKE 'inventory-%' ORDER BY r.created_at, r.due_at`,
      [registrationId],
    );
  async function fire(subjectId: string): Promise<void> {
    const work = await t.runtime.dataSource.manager.findOneByOrFail(PendingWork, { kind: JobName.LedgerReminder, subjectId });
    await t.app.get(TransactionRunner).run((tx) => t.app.get(LedgerAlerts).reminder(work, tx));
  }
  const mailTo = (userId: string, like: string) =>
    q<{ subject: string }>(`SELECT subject FROM notifications WHERE recipient_user_id = $1 AND body LIKE $2 ORDER BY created_at`, [
      userId,
      like,
    ]);

  it('the initial inventory first, once: every container in stock, sealed ones and devices counted, opened vials measured', async () => {
    const reg = (await registration(t.http, a, { deaNumber: randomDeaNumber() })).id;
    const [sealed, opened] = await receive(t.http, a, reg, vial50, 2);
    const [kit] = await receive(t.http, a, reg, kit84);
    await spill(opened, 2.5);
    const lines = [line(sealed, 10), line(opened, 7.5), line(kit, 3, 'device')];

    expect((await take(reg, 'biennial', lines).expect(422)).body.code).toBe('CS_INITIAL_INVENTORY_FIRST');
    const missing = await take(reg, 'initial', lines.slice(0, 2)).expect(400);
    expect(missing.body.details).toEqual([{ field: 'lines', message: expect.stringMatching(/missing .+\/1$/) }]);
    const unit = await take(reg, 'initial', [line(sealed, 10), line(opened, 7.5), line(kit, 3, 'mL')]).expect(400);
    expect(unit.body.details).toEqual([{ field: 'lines[2].unit', message: expect.stringContaining('is counted in device') }]);
    expect((await take(reg, 'initial', lines, a.token.nurse, a.nurse.id).expect(422)).body.code).toBe('WITNESS_IS_ACTOR');
    await take(reg, 'initial', lines, a.token.admin).expect(403);
    expect(await q(`SELECT 1 FROM cs_events WHERE inventory_id IS NOT NULL AND container_id = $1`, [sealed])).toEqual([]);

    const res = await take(reg, 'initial', lines).expect(201);
    expect(res.body).toMatchObject({
      kind: 'initial',
      timeOfDay: 'opening',
      takenBy: { userId: a.nurse.id, name: a.nurse.name },
      witness: { userId: a.anesthesiologist.id },
      discrepancies: 0,
    });
    const byContainer = Object.fromEntries(res.body.lines.map((l: { containerId: string }) => [l.containerId, l]));
    expect(byContainer[sealed]).toMatchObject({ sealed: true, method: 'counted', quantity: 10, expected: 10, variance: 0, mg: 500 });
    expect(byContainer[opened]).toMatchObject({ sealed: false, method: 'estimated', quantity: 7.5, expected: 7.5, discrepancyId: null });
    expect(byContainer[kit]).toMatchObject({
      method: 'counted',
      quantity: 3,
      unit: 'device',
      finishedForm: 'nasal spray, 28 mg per device',
    });
    // 1304.11(e): per product, its form, units per container and containers.
    expect(res.body.products).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          productId: vial50.id,
          unitsPerContainer: '10 mL per vial',
          sealedContainers: 1,
          openedContainers: 1,
          quantity: 17.5,
          mg: 875,
        }),
        expect.objectContaining({ productId: kit84.id, sealedContainers: 1, openedContainers: 0, quantity: 3 }),
      ]),
    );
    const events = await q(`SELECT kind, delta::float, witness_user_id FROM cs_events WHERE inventory_id = $1`, [res.body.id]);
    expect(events).toEqual(Array(3).fill({ kind: 'count', delta: 0, witness_user_id: a.anesthesiologist.id }));
    expect((await take(reg, 'initial', lines).expect(422)).body.code).toBe('CS_INITIAL_INVENTORY_TAKEN');
    const read = await t.http.get(`${api}/inventories/${res.body.id}`).set(bearer(a.token.admin)).expect(200);
    expect(read.body).toEqual(res.body);
  });

  it('a line unlike the ledger opens a discrepancy, resolved as any count’s; an ad hoc inventory does not move the biennial date', async () => {
    const reg = (await registration(t.http, a, { deaNumber: randomDeaNumber() })).id;
    const [sealed, opened] = await receive(t.http, a, reg, vial50, 2);
    await spill(opened, 4);
    const initial = await take(reg, 'initial', [line(sealed, 10), line(opened, 6)]).expect(201);
    const adHoc = await take(reg, 'ad-hoc', [line(sealed, 9), line(opened, 5.8)]).expect(201);
    expect(adHoc.body).toMatchObject({ kind: 'ad-hoc', discrepancies: 2, nextBiennialDueOn: null });
    const found = Object.fromEntries(adHoc.body.lines.map((l: { containerId: string }) => [l.containerId, l]));
    expect(found[sealed]).toMatchObject({ expected: 10, variance: -1, discrepancyId: expect.any(String) });
    expect(found[opened]).toMatchObject({ method: 'estimated', expected: 6, variance: -0.2, discrepancyId: expect.any(String) });
    const d = await t.http.get(`${api}/discrepancies?status=open&limit=200`).set(bearer(a.token.admin)).expect(200);
    expect(d.body.items.find((x: { id: string }) => x.id === found[opened].discrepancyId)).toMatchObject({
      kind: 'count-variance',
      eventId: found[opened].eventId,
      expected: 6,
      found: 5.8,
    });
    const resolved = await post(`/discrepancies/${found[opened].discrepancyId}/resolve`, a.token.anesthesiologist, {
      resolution: 'measured with a syringe: 5.8 mL is right',
      correctBalance: true,
    }).expect(200);
    expect(resolved.body.correctionEventId).toEqual(expect.any(String));
    expect((await q<{ balance: number }>(`SELECT balance::float FROM cs_containers WHERE id = $1`, [opened]))[0].balance).toBe(5.8);
    // Only the initial inventory's reminders.
    expect((await remindersOf(reg)).map((r) => r.basis)).toEqual([initial.body.takenOn, initial.body.takenOn]);
  });

  it('reminds at 23 months and is overdue after 24, as rows the queue fires; a biennial inventory replaces them', async () => {
    const reg = (await registration(t.http, a, { deaNumber: randomDeaNumber() })).id;
    const [vial] = await receive(t.http, a, reg, vial50);
    const initial = (await take(reg, 'initial', [line(vial, 10)]).expect(201)).body as { takenOn: string; nextBiennialDueOn: string };
    const [due, overdue] = inventoryMilestones(initial.takenOn, 'America/New_York');
    const first = await remindersOf(reg);
    expect(first).toEqual([
      expect.objectContaining({ kind: 'inventory-due', due_on: initial.nextBiennialDueOn, due_at: due.dueAt, work: 'pending' }),
      expect.objectContaining({ kind: 'inventory-overdue', due_on: initial.nextBiennialDueOn, due_at: overdue.dueAt, work: 'pending' }),
    ]);
    expect(initial.nextBiennialDueOn).toBe(due.dueOn);

    await fire(first[0].id);
    await fire(first[0].id);
    for (const u of [a.anesthesiologist, a.admin])
      expect(await mailTo(u.id, `%${reg}%`)).toEqual([
        { subject: `Vigil: the biennial controlled-substance inventory is due by ${due.dueOn}` },
      ]);
    expect(await mailTo(a.nurse.id, `%${reg}%`)).toEqual([]);

    clock.advanceDays(1);
    const biennial = (await take(reg, 'biennial', [line(vial, 10)]).expect(201)).body as { takenOn: string };
    const after = await remindersOf(reg);
    expect(after.find((r) => r.id === first[1].id)?.work).toBe('cancelled');
    expect(after.slice(2).map((r) => [r.kind, r.basis])).toEqual([
      ['inventory-due', biennial.takenOn],
      ['inventory-overdue', biennial.takenOn],
    ]);
    // The initial inventory's overdue alert, fired anyway (a job already queued), tells no one: its basis is stale.
    await fire(first[1].id);
    await fire(after[3].id);
    expect((await mailTo(a.admin.id, `%${reg}%`)).map((m) => m.subject)).toEqual([
      `Vigil: the biennial controlled-substance inventory is due by ${due.dueOn}`,
      'Vigil: OVERDUE: the biennial controlled-substance inventory',
    ]);
  });
});
