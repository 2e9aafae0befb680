import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { product, receive, registration, witnessedBy, type Product } from './support/ledger.js';

const api = '/api/v1';

/**
 * The ledger's clinic settings, edited by administrators with a reason: the hours a discrepancy has
 * before it escalates, the tolerance of an estimated measure of an opened vial, and how many years
 * the records are kept.
 */
describe('controlled substances: the clinic’s ledger settings', () => {
  let t: TestApp;
  let a: Staff;
  let reg: string;
  let vial50: Product;
  let kit84: Product;

  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    reg = (await registration(t.http, a)).id;
    [vial50, kit84] = await Promise.all([product(t.http, a, { mgPerMl: 50 }), product(t.http, a, { devices: 3 })]);
  });
  afterAll(() => t.close());

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const edit = (body: object) => t.http.patch(`${api}/clinic-settings`).set(bearer(a.token.admin)).send(body);
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T[]>(sql, params);
  const count = (containerId: string, counted: number, unit = 'mL') =>
    post('/ledger/counts', a.token.nurse, { containerId, unit, counted, ...witnessedBy(a.anesthesiologist.id) }).expect(201);

  it('defaults: 24 hours to resolve, no tolerance, records kept 2 years', async () => {
    const res = await t.http.get(`${api}/clinic-settings`).set(bearer(a.token.admin)).expect(200);
    expect(res.body).toMatchObject({ csDiscrepancyResolveHours: 24, csEstimateToleranceMl: 0, csRecordRetentionYears: 2 });
  });

  it.each([
    ['csDiscrepancyResolveHours', 0],
    ['csDiscrepancyResolveHours', 25],
    ['csDiscrepancyResolveHours', 2.5],
    ['csEstimateToleranceMl', -0.1],
    ['csEstimateToleranceMl', 0.6],
    ['csEstimateToleranceMl', 0.125],
    ['csRecordRetentionYears', 1],
    ['csRecordRetentionYears', 11],
  ])('refuses %s = %s (400 naming it)', async (field, value) => {
    const res = await edit({ [field]: value, reason: 'state board rule' }).expect(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field })]);
  });

  it('a discrepancy is due the clinic’s hours after it is found; its escalation moves with it', async () => {
    await edit({ csDiscrepancyResolveHours: 8, reason: 'resolved before the shift ends' }).expect(200);
    const [vial] = await receive(t.http, a, reg, vial50);
    const found = await count(vial, 9);
    const [d] = await q<{ opened_at: Date; due_at: Date; work: Date }>(
      `SELECT d.opened_at, d.due_at, w.due_at AS work FROM cs_discrepancies d
         JOIN pending_work w ON w.subject_id = d.id AND w.kind = 'ledger-discrepancy-overdue' WHERE d.id = $1`,
      [found.body.discrepancyId],
    );
    expect(d.due_at.getTime() - d.opened_at.getTime()).toBe(8 * 3_600_000);
    expect(d.work).toEqual(d.due_at);
    await edit({ csDiscrepancyResolveHours: 24, reason: 'back to the default' }).expect(200);
  });

  describe('an estimated measure of an opened vial within the tolerance opens no discrepancy; exact counts always do', () => {
    beforeAll(async () => {
      const res = await edit({ csEstimateToleranceMl: 0.2, reason: 'vials read by eye against their graduations' }).expect(200);
      expect(res.body).toMatchObject({ csEstimateToleranceMl: 0.2, sources: { csEstimateToleranceMl: expect.stringContaining('by eye') } });
    });
    afterAll(() => edit({ csEstimateToleranceMl: 0, reason: 'back to the default' }).expect(200));

    /** A vial opened by a 2.5 mL spill (7.5 mL left), a sealed one, a kit. */
    async function stock(): Promise<{ opened: string; sealed: string; kit: string }> {
      const [opened, sealed] = await receive(t.http, a, reg, vial50, 2);
      const [kit] = await receive(t.http, a, reg, kit84);
      await post('/ledger/waste', a.token.nurse, {
        containerId: opened,
        unit: 'mL',
        quantity: 2.5,
        reason: 'spilled',
        ...witnessedBy(a.anesthesiologist.id),
      }).expect(201);
      return { opened, sealed, kit };
    }

    it.each([
      ['an opened vial 0.2 mL under', 'none', 'opened', 7.3],
      ['an opened vial 0.15 mL over', 'none', 'opened', 7.65],
      ['an opened vial 0.3 mL under', 'opened', 'opened', 7.2],
      ['a sealed vial 0.1 mL under', 'opened', 'sealed', 9.9],
      ['a kit one device short', 'opened', 'kit', 2],
    ] as const)('%s: discrepancy %s', async (_what, discrepancy, which, counted) => {
      const c = await stock();
      const res = await count(c[which], counted, which === 'kit' ? 'device' : 'mL');
      expect(res.body.variance).not.toBe(0);
      expect(res.body.discrepancyId === null ? 'none' : 'opened').toBe(discrepancy);
    });
  });
});
