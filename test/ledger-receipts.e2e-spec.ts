import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { CLINIC_DEA, dayFrom, onHand, product, receiptBody, receive, registration, type Product } from './support/ledger.js';

const api = '/api/v1/ledger';

/**
 * Registering with the DEA, receiving stock with a blind count, and the on-hand report a DEA
 * inspector reads: every container received is there, to the mL and the device.
 */
describe('controlled substances: registration, receipts and stock on hand', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  let reg: { id: string; version: number };
  let kit84: Product;
  let vial50: Product;

  beforeAll(async () => {
    t = await startTestApp();
    [a, b] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
    reg = await registration(t.http, a);
    [kit84, vial50] = await Promise.all([product(t.http, a, { devices: 3 }), product(t.http, a, { mgPerMl: 50 })]);
  });
  afterAll(() => t.close());

  const as = (staff: Staff, role: 'nurse' | 'anesthesiologist' | 'admin') => bearer(staff.token[role]);

  describe('the DEA registration', () => {
    it('refuses a number whose check digit is wrong, naming the field and the digit expected', async () => {
      const res = await t.http
        .post(`${api}/registrations`)
        .set(as(b, 'admin'))
        .send({ deaNumber: 'AB1234564', registrantName: 'X', address: 'Y', schedules: ['3N'], expiresOn: dayFrom(300) });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'deaNumber', message: 'the check digit should be 3, not 4: a digit is mistyped' }]);
    });

    it('registers a number once per clinic; a renewal sends the version it read', async () => {
      const again = await t.http
        .post(`${api}/registrations`)
        .set(as(a, 'admin'))
        .send({ deaNumber: CLINIC_DEA, registrantName: 'X', address: 'Y', schedules: ['3N'], expiresOn: dayFrom(300) });
      expect(again.status).toBe(409);
      const renewed = await t.http
        .patch(`${api}/registrations/${reg.id}`)
        .set(as(a, 'admin'))
        .send({ version: reg.version, expiresOn: dayFrom(1095) });
      expect(renewed.status).toBe(200);
      expect(renewed.body).toMatchObject({ expiresOn: dayFrom(1095), version: reg.version + 1 });
      const stale = await t.http
        .patch(`${api}/registrations/${reg.id}`)
        .set(as(a, 'admin'))
        .send({ version: reg.version, address: 'elsewhere' });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('STALE_VERSION');
      reg = renewed.body;
    });

    it('another clinic’s registration answers 404', async () => {
      const res = await t.http.patch(`${api}/registrations/${reg.id}`).set(as(b, 'admin')).send({ version: 1, address: 'x' });
      expect(res.status).toBe(404);
    });
  });

  describe('receiving stock with a blind count', () => {
    it('an 84 mg Spravato kit adds 3 devices; the invoiced number stays hidden until the count is in', async () => {
      const before = await onHand(t.http, a);
      const entered = await t.http
        .post(`${api}/receipts`)
        .set(as(a, 'anesthesiologist'))
        .send(receiptBody(reg.id, kit84, { containersInvoiced: 2, invoiceDate: dayFrom(-1) }));
      expect(entered.status).toBe(201);
      expect(entered.body).toMatchObject({ status: 'awaiting-count', containersInvoiced: null, containersCounted: null });
      const listed = await t.http.get(`${api}/receipts`).set(as(a, 'admin'));
      expect(listed.body.items.find((r: { id: string }) => r.id === entered.body.id)).toMatchObject({ containersInvoiced: null });

      const counted = await t.http.post(`${api}/receipts/${entered.body.id}/count`).set(as(a, 'admin')).send({ containersCounted: 2 });
      expect(counted.status).toBe(200);
      expect(counted.body).toMatchObject({
        status: 'received',
        containersInvoiced: 2,
        containersCounted: 2,
        discrepancyId: null,
        receivedOn: expect.any(String),
      });
      expect(counted.body.containers).toHaveLength(2);
      const after = await onHand(t.http, a);
      expect(after.totals.esketamineDevices - before.totals.esketamineDevices).toBe(6);
      const line = after.lines.find((l) => l.lot === entered.body.lot);
      expect(line).toMatchObject({ containers: 2, sealed: 2, quantity: 6, quantityMg: 168 });
    });

    it('a count short of the invoice puts only the counted vials in stock and opens a discrepancy', async () => {
      const entered = await t.http
        .post(`${api}/receipts`)
        .set(as(a, 'anesthesiologist'))
        .send(receiptBody(reg.id, vial50, { containersInvoiced: 5 }));
      const counted = await t.http
        .post(`${api}/receipts/${entered.body.id}/count`)
        .set(as(a, 'anesthesiologist'))
        .send({ containersCounted: 4 });
      expect(counted.status).toBe(200);
      expect(counted.body.discrepancyId).toEqual(expect.any(String));
      const line = (await onHand(t.http, a)).lines.find((l) => l.lot === entered.body.lot);
      // 4 vials of 10 mL at 50 mg/mL.
      expect(line).toMatchObject({ containers: 4, quantity: 40, quantityMg: 2000 });
      const [d] = await t.runtime.dataSource.query(
        `SELECT kind, expected::float, found::float, unit, status, extract(epoch FROM due_at - opened_at)::int AS window FROM cs_discrepancies WHERE id = $1`,
        [counted.body.discrepancyId],
      );
      expect(d).toMatchObject({ kind: 'receipt-count', expected: 5, found: 4, unit: 'container', status: 'open' });
      expect(d.window).toBe(24 * 3600);
      const again = await t.http
        .post(`${api}/receipts/${entered.body.id}/count`)
        .set(as(a, 'anesthesiologist'))
        .send({ containersCounted: 5 });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('ALREADY_COUNTED');
      expect((await onHand(t.http, a)).lines.find((l) => l.lot === entered.body.lot)).toMatchObject({ containers: 4 });
    });

    it('each container’s receipt is one event in the ledger, audited with the count', async () => {
      const [id] = await receive(t.http, a, reg.id, vial50, 1);
      const events = await t.http.get(`${api}/events?containerId=${id}`).set(as(a, 'admin'));
      expect(events.body.items).toEqual([
        expect.objectContaining({
          kind: 'receipt',
          quantity: 10,
          unit: 'mL',
          quantityMg: 500,
          delta: 10,
          balanceAfter: 10,
          actorUserId: a.anesthesiologist.id,
        }),
      ]);
      const [audit] = await t.runtime.dataSource.query(
        `SELECT action FROM audit_events WHERE action = 'ledger.receipt.count' AND actor_user_id = $1 LIMIT 1`,
        [a.anesthesiologist.id],
      );
      expect(audit).toEqual({ action: 'ledger.receipt.count' });
    });

    it.each([
      ['an NDC that is not the product’s', { ndc: '50458-028-02' }, 'ndc'],
      ['an NDC in no printed shape', { ndc: '5045802803' }, 'ndc'],
      ['a supplier DEA number that fails its check digit', { supplierDeaNumber: 'PA1234564' }, 'supplierDeaNumber'],
    ])('refuses %s (400 naming the field)', async (_what, extra, field) => {
      const res = await t.http
        .post(`${api}/receipts`)
        .set(as(a, 'anesthesiologist'))
        .send(receiptBody(reg.id, kit84, extra));
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field })]);
    });

    it('refuses stock for a lapsed registration, one without schedule 3N, or a lot already expired (422 naming each)', async () => {
      const lapsed = await registration(t.http, b, { deaNumber: 'BJ6125341', expiresOn: dayFrom(-2), schedules: ['2'] });
      const res = await t.http
        .post(`${api}/receipts`)
        .set(as(b, 'admin'))
        .send(receiptBody(lapsed.id, vial50, { expiresOn: dayFrom(-2) }));
      expect(res.status).toBe(422);
      expect(res.body.details.map((d: { code: string }) => d.code)).toEqual([
        'CS_REGISTRATION_EXPIRED',
        'CS_SCHEDULE_NOT_REGISTERED',
        'CS_CONTAINER_EXPIRED',
      ]);
    });

    it('a receipt cannot name another clinic’s registration; its on-hand report shows nothing of ours', async () => {
      const res = await t.http.post(`${api}/receipts`).set(as(b, 'admin')).send(receiptBody(reg.id, vial50));
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'registrationId' })]);
      const theirs = await onHand(t.http, b);
      expect(theirs.lines).toEqual([]);
    });
  });

  it('the on-hand report equals the containers’ running balances', async () => {
    const report = await onHand(t.http, a);
    const [row] = await t.runtime.dataSource.query(
      `SELECT sum(c.balance * p.mg_per_unit) FILTER (WHERE p.substance = 'ketamine')::float AS mg,
              sum(c.balance) FILTER (WHERE p.substance = 'esketamine')::float AS devices
         FROM cs_containers c JOIN cs_products p ON p.id = c.product_id WHERE c.clinic_id = $1`,
      [a.clinic.id],
    );
    expect(report.totals).toEqual({ ketamineMg: row.mg, esketamineDevices: row.devices });
  });
});
