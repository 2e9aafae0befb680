import type { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './support/app.js';
import { createClinic, createUser } from './support/factories.js';

/**
 * The controlled-substance ledger's tables as PostgreSQL keeps them, whoever writes: the seeded
 * products, an append-only event table, and balances that cannot go below zero.
 */
describe('controlled-substance ledger: what the database itself guarantees', () => {
  let t: TestApp;
  let ds: DataSource;
  let ids: { clinic: string; user: string; other: string; registration: string; container: string; product: string };

  beforeAll(async () => {
    t = await startTestApp();
    ds = t.runtime.dataSource;
    const clinic = await createClinic(ds);
    const [user, other] = await Promise.all([createUser(ds, clinic.id, 'nurse'), createUser(ds, clinic.id, 'anesthesiologist')]);
    const [product] = await ds.query<Array<{ id: string }>>(
      `SELECT id FROM cs_products WHERE clinic_id IS NULL AND units_per_container = 20`,
    );
    const [registration] = await ds.query<Array<{ id: string }>>(
      `INSERT INTO cs_registrations (clinic_id, dea_number, registrant_name, address, schedules, expires_on, created_by)
       VALUES ($1, 'AB1234563', 'Harbor Clinic', '1 Main St', ARRAY['3N'], '2030-01-31', $2) RETURNING id`,
      [clinic.id, user.id],
    );
    const [receipt] = await ds.query<Array<{ id: string }>>(
      `INSERT INTO cs_receipts (clinic_id, registration_id, product_id, ndc, lot, expires_on, supplier_name, supplier_address,
         supplier_dea_number, invoice_number, containers_invoiced, status, entered_by)
       VALUES ($1, $2, $3, '0409-2051-05', 'L1', '2030-01-31', 'Supplier', '2 Dock Rd', 'PA1234563', 'INV-1', 1, 'awaiting-count', $4)
       RETURNING id`,
      [clinic.id, registration.id, product.id, user.id],
    );
    const [container] = await ds.query<Array<{ id: string }>>(
      `INSERT INTO cs_containers (clinic_id, registration_id, product_id, receipt_id, seq, ndc, lot, expires_on, status, balance)
       VALUES ($1, $2, $3, $4, 1, '0409-2051-05', 'L1', '2030-01-31', 'sealed', 20) RETURNING id`,
      [clinic.id, registration.id, product.id, receipt.id],
    );
    ids = {
      clinic: clinic.id,
      user: user.id,
      other: other.id,
      registration: registration.id,
      container: container.id,
      product: product.id,
    };
  });
  afterAll(() => t.close());

  const event = (values: Partial<Record<'kind' | 'delta' | 'balance_after' | 'witness_user_id' | 'quantity', string | number | null>>) =>
    ds.query<Array<{ id: string }>>(
      `INSERT INTO cs_events (clinic_id, registration_id, container_id, kind, occurred_at, actor_user_id, witness_user_id, quantity, unit, delta, balance_after)
       VALUES ($1, $2, $3, $4, now(), $5, $6, $7, 'mL', $8, $9) RETURNING id`,
      [
        ids.clinic,
        ids.registration,
        ids.container,
        values.kind ?? 'receipt',
        ids.user,
        values.witness_user_id ?? null,
        values.quantity ?? 20,
        values.delta ?? 20,
        values.balance_after ?? 20,
      ],
    );

  it('ships the labelled presentations: ketamine vials in mL, Spravato kits in 28 mg devices', async () => {
    const rows = await ds.query<Array<Record<string, unknown>>>(
      `SELECT substance, ndc, unit, units_per_container::float AS units, mg_per_unit::float AS mg, container_kind AS kind, dea_code, schedule
         FROM cs_products WHERE clinic_id IS NULL ORDER BY substance DESC, units DESC, mg`,
    );
    expect(rows).toEqual([
      { substance: 'ketamine', ndc: null, unit: 'mL', units: 20, mg: 10, kind: 'vial', dea_code: 7285, schedule: '3N' },
      { substance: 'ketamine', ndc: null, unit: 'mL', units: 10, mg: 50, kind: 'vial', dea_code: 7285, schedule: '3N' },
      { substance: 'ketamine', ndc: null, unit: 'mL', units: 10, mg: 100, kind: 'vial', dea_code: 7285, schedule: '3N' },
      { substance: 'esketamine', ndc: '50458-028-03', unit: 'device', units: 3, mg: 28, kind: 'kit', dea_code: 7285, schedule: '3N' },
      { substance: 'esketamine', ndc: '50458-028-02', unit: 'device', units: 2, mg: 28, kind: 'kit', dea_code: 7285, schedule: '3N' },
    ]);
  });

  it.each([
    ['UPDATE', `UPDATE cs_events SET quantity = 0`],
    ['DELETE', `DELETE FROM cs_events`],
    ['TRUNCATE', `TRUNCATE cs_events CASCADE`],
  ])('refuses %s on the ledger, even to the owner of the table', async (op, sql) => {
    await event({});
    await expect(ds.query(sql)).rejects.toMatchObject({ code: '42501', message: `cs_events is append-only: ${op} refused` });
    const [{ n }] = await ds.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM cs_events WHERE container_id = $1`, [
      ids.container,
    ]);
    expect(n).toBeGreaterThan(0);
  });

  it('refuses an event that leaves its container below zero, and a container balance below zero', async () => {
    await expect(event({ kind: 'waste', delta: -21, balance_after: -1, witness_user_id: ids.other })).rejects.toMatchObject({
      constraint: 'ck_cs_events_balance',
    });
    await expect(ds.query(`UPDATE cs_containers SET balance = -0.001 WHERE id = $1`, [ids.container])).rejects.toMatchObject({
      constraint: 'ck_cs_containers_balance',
    });
  });

  it('refuses a waste or a count without a witness, or witnessed by the one who did it', async () => {
    await expect(event({ kind: 'waste', delta: -1, balance_after: 19 })).rejects.toMatchObject({ constraint: 'ck_cs_events_witnessed' });
    await expect(event({ kind: 'count', delta: 0, witness_user_id: ids.user })).rejects.toMatchObject({
      constraint: 'ck_cs_events_witness',
    });
    await expect(event({ kind: 'count', delta: 0, witness_user_id: ids.other })).resolves.toHaveLength(1);
  });

  it('refuses a destruction or transfer event that names no disposal or no witness', async () => {
    await expect(event({ kind: 'destroy', delta: -20, balance_after: 0, witness_user_id: ids.other })).rejects.toMatchObject({
      constraint: 'ck_cs_events_disposal',
    });
    // Neither a witness nor a disposal: refused by either rule.
    await expect(event({ kind: 'transfer', delta: -20, balance_after: 0 })).rejects.toMatchObject({
      constraint: expect.stringMatching(/^ck_cs_events_(witnessed|disposal)$/),
    });
  });

  it('refuses an administration that names no session and patient', async () => {
    await expect(event({ kind: 'administer', delta: -1, balance_after: 19 })).rejects.toMatchObject({
      constraint: 'ck_cs_events_administer',
    });
  });
});
