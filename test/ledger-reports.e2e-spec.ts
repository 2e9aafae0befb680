import { createHash } from 'node:crypto';
import { localDate } from '../libs/platform/src/index.js';
import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, PASSWORD, type Staff } from './support/factories.js';
import { product, receiptBody, receive, registration, witnessedBy, type Product } from './support/ledger.js';

const api = '/api/v1/ledger';

/**
 * What an inspector asks for between two dates, besides the dispensing log: receipts, discrepancies,
 * losses, destructions and transfers, inventories, and the stock on hand at the end of a day. Each as
 * JSON and as CSV, the CSV's SHA-256 in the audit trail, the clinic's record retention stated.
 */
describe('controlled substances: the inspector’s reports', () => {
  let t: TestApp;
  let a: Staff;
  let reg: string;
  let vial50: Product;
  let kit84: Product;
  const clock = MovableClock.at('10:00', 'America/New_York');
  const today = () => localDate(clock.now(), 'America/New_York');
  let day1: string;
  let day2: string;
  let lots: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    reg = (await registration(t.http, a)).id;
    [vial50, kit84] = await Promise.all([product(t.http, a, { mgPerMl: 50 }), product(t.http, a, { devices: 3 })]);
    await history();
  });
  afterAll(() => t.close());

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const get = (path: string, token = a.token.admin) => t.http.get(`${api}${path}`).set(bearer(token));
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T[]>(sql, params);
  const lotOf = async (id: string) => (await q<{ lot: string }>(`SELECT lot FROM cs_containers WHERE id = $1`, [id]))[0].lot;

  /**
   * Day 1: three vials and a kit received (and a delivery counted one short), the initial inventory.
   * Day 2: a spill, a loss, a destruction, a count that disagrees.
   */
  async function history(): Promise<void> {
    day1 = today();
    const [sealed, spilled, destroyed] = await receive(t.http, a, reg, vial50, 3);
    const [kit] = await receive(t.http, a, reg, kit84);
    const doc = bearer(a.token.anesthesiologist);
    const short = await t.http
      .post(`${api}/receipts`)
      .set(doc)
      .send(receiptBody(reg, vial50, { containersInvoiced: 2, invoiceNumber: 'INV-SHORT' }));
    const counted = await t.http.post(`${api}/receipts/${short.body.id}/count`).set(doc).send({ containersCounted: 1 }).expect(200);
    const all = [sealed, spilled, destroyed, counted.body.containers[0].id];
    await post('/inventories', a.token.nurse, {
      registrationId: reg,
      kind: 'initial',
      timeOfDay: 'close',
      lines: [...all.map((containerId) => ({ containerId, unit: 'mL', quantity: 10 })), { containerId: kit, unit: 'device', quantity: 3 }],
      ...witnessedBy(a.anesthesiologist.id),
    }).expect(201);
    clock.advanceDays(1);
    day2 = today();
    await post('/waste', a.token.nurse, {
      containerId: spilled,
      unit: 'mL',
      quantity: 2,
      reason: 'dropped',
      ...witnessedBy(a.anesthesiologist.id),
    }).expect(201);
    await post('/losses', a.token.anesthesiologist, {
      kind: 'theft',
      discoveredAt: clock.now().toISOString(),
      narrative: 'a kit device missing from its blister',
      containerId: kit,
      quantity: 1,
      unit: 'device',
    }).expect(201);
    await post('/destructions', a.token.anesthesiologist, {
      containerIds: [destroyed],
      reason: 'vial cracked',
      method: 'denaturing kit',
      location: 'medication room',
      witnesses: [
        { userId: a.nurse.id, password: PASSWORD },
        { userId: a.admin.id, password: PASSWORD },
      ],
    }).expect(201);
    await post('/counts', a.token.nurse, { containerId: sealed, unit: 'mL', counted: 9.5, ...witnessedBy(a.anesthesiologist.id) }).expect(
      201,
    );
    lots = { sealed: await lotOf(sealed), spilled: await lotOf(spilled), destroyed: await lotOf(destroyed), kit: await lotOf(kit) };
  }

  const sha = (s: string) => createHash('sha256').update(s).digest('hex');

  it.each(['receipts', 'discrepancies', 'losses', 'disposals', 'inventories'])(
    '%s: JSON and CSV agree, the SHA-256 of the CSV is audited, the retention is stated',
    async (name) => {
      const json = await get(`/reports/${name}?from=${day1}&to=${day2}`).expect(200);
      const csv = await get(`/reports/${name}/csv?from=${day1}&to=${day2}`).expect(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.headers['x-content-sha256']).toBe(sha(csv.text));
      expect(csv.headers['x-record-retention-years']).toBe('2');
      expect(json.body).toMatchObject({ from: day1, to: day2, retentionYears: 2, sha256: sha(csv.text), clinicName: a.clinic.name });
      const lines = csv.text.trimEnd().split('\r\n');
      expect(lines).toHaveLength(json.body.rows.length + 1);
      expect(json.body.rows.length).toBeGreaterThan(0);
      const audits = await q<{ changes: { sha256: string; rows: number } }>(
        `SELECT changes FROM audit_events WHERE action = $1 AND resource_id = $2 ORDER BY occurred_at`,
        [`ledger.report.${name}`, a.clinic.id],
      );
      expect(audits.map((x) => x.changes.sha256)).toEqual([sha(csv.text), sha(csv.text)]);
    },
  );

  it('receipts: what was received, from whom, counted by whom; a count unlike its invoice is marked', async () => {
    const { body } = await get(`/reports/receipts?from=${day1}&to=${day1}`).expect(200);
    expect(body.rows).toHaveLength(3);
    expect(body.rows.find((r: { lot: string }) => r.lot === lots.kit)).toMatchObject({
      receivedOn: day1,
      registration: 'AB1234563',
      finishedForm: 'nasal spray, 28 mg per device',
      unitsPerContainer: '3 devices per kit',
      containersInvoiced: 1,
      containersReceived: 1,
      quantity: 3,
      mg: 84,
      supplierName: 'Cardinal Health',
      supplierDeaNumber: 'PA1234563',
      countedBy: a.anesthesiologist.name,
      discrepancy: false,
    });
    expect(body.rows.find((r: { invoiceNumber: string }) => r.invoiceNumber === 'INV-SHORT')).toMatchObject({
      containersInvoiced: 2,
      containersReceived: 1,
      discrepancy: true,
    });
    expect((await get(`/reports/receipts?from=${day2}&to=${day2}`).expect(200)).body.rows).toEqual([]);
  });

  it('discrepancies, losses, disposals and inventories: the dates select them', async () => {
    const d = (await get(`/reports/discrepancies?from=${day2}&to=${day2}`).expect(200)).body.rows;
    expect(d).toEqual([
      expect.objectContaining({ kind: 'count-variance', lot: lots.sealed, expected: 10, counted: 9.5, variance: -0.5, status: 'open' }),
    ]);
    const earlier = (await get(`/reports/discrepancies?from=${day1}&to=${day1}`).expect(200)).body.rows;
    expect(earlier).toEqual([expect.objectContaining({ kind: 'receipt-count', subject: 'invoice INV-SHORT', expected: 2, counted: 1 })]);
    const losses = (await get(`/reports/losses?from=${day2}&to=${day2}`).expect(200)).body.rows;
    expect(losses).toEqual([
      expect.objectContaining({ kind: 'theft', lot: lots.kit, quantity: 1, unit: 'device', mg: 28, status: 'open', notifiedAt: null }),
    ]);
    const disposals = (await get(`/reports/disposals?from=${day2}&to=${day2}`).expect(200)).body.rows;
    expect(disposals).toEqual([
      expect.objectContaining({
        kind: 'destruction',
        lot: lots.destroyed,
        deaCode: 7285,
        fullPackages: 1,
        quantity: 10,
        mg: 500,
        method: 'denaturing kit',
        witness1: a.nurse.name,
        witness2: a.admin.name,
      }),
    ]);
    const inventories = (await get(`/reports/inventories?from=${day1}&to=${day1}`).expect(200)).body.rows;
    expect(inventories).toHaveLength(5);
    expect(inventories[0]).toMatchObject({ kind: 'initial', timeOfDay: 'close', takenBy: a.nurse.name, witness: a.anesthesiologist.name });
    expect((await get(`/reports/inventories?from=${day2}&to=${day2}`).expect(200)).body.rows).toEqual([]);
    const backwards = await get(`/reports/losses?from=${day2}&to=${day1}`).expect(400);
    expect(backwards.body.details).toEqual([expect.objectContaining({ field: 'to' })]);
  });

  it.each([
    ['receipts', 'RECEIPTS', () => day1, ['Cardinal Health', 'INV-SHORT', '3 records.']],
    ['discrepancies', 'DISCREPANCIES', () => day2, ['count-variance', '1 record.']],
    ['losses', 'THEFT OR LOSS', () => day2, ['theft', '1 record.']],
    ['disposals', 'DESTRUCTIONS AND TRANSFERS', () => day2, ['denaturing kit', '1 record.']],
    ['inventories', 'INVENTORIES', () => day1, ['initial', '5 records.']],
  ])('%s prints as a PDF with the rows of its CSV, audited with its own SHA-256 beside the CSV’s', async (name, title, day, contains) => {
    const range = `from=${day()}&to=${day()}`;
    const printed = await get(`/reports/${name}/pdf?${range}`).responseType('blob').expect(200);
    const bytes = printed.body as Buffer;
    expect(printed.headers['content-type']).toBe('application/pdf');
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(printed.headers['x-content-sha256']).toBe(sha);
    const csvSha = (await get(`/reports/${name}/csv?${range}`).expect(200)).headers['x-content-sha256'];
    const [logged] = await q<{ changes: Record<string, unknown> }>(
      `SELECT changes FROM audit_events WHERE action = $1 AND clinic_id = $2 AND changes->>'format' = 'pdf' ORDER BY occurred_at DESC LIMIT 1`,
      [`ledger.report.${name}`, a.clinic.id],
    );
    expect(logged.changes).toMatchObject({ sha256: sha, csvSha256: csvSha, from: day(), to: day() });
    const text = bytes.toString('latin1');
    for (const words of [title, `SHA-256 of the same report as CSV: ${csvSha}`, 'DEA registration AB1234563', ...contains])
      expect(text).toContain(words);
  });

  it('on hand at the end of a day is the ledger’s events up to it; today it is the live on-hand report', async () => {
    const atDay1 = (await get(`/reports/on-hand?asOf=${day1}`).expect(200)).body;
    const line = (rows: Array<{ lot: string }>, lot: string) => rows.find((r) => r.lot === lot);
    // The three vials of one delivery share their lot: all sealed and full at the end of day 1.
    expect(line(atDay1.rows, lots.spilled)).toMatchObject({ containers: 3, quantity: 30, sealed: 3, opened: 0, mg: 1500 });
    expect(line(atDay1.rows, lots.kit)).toMatchObject({ quantity: 3, mg: 84, sealed: 1 });
    // Now: one spilled from (8 mL, opened), one destroyed (gone), one sealed (counted short, but a count moves nothing).
    const now = (await get('/reports/on-hand').expect(200)).body;
    expect(now.asOf).toBe(day2);
    expect(line(now.rows, lots.spilled)).toMatchObject({ containers: 2, quantity: 18, sealed: 1, opened: 1, mg: 900 });
    expect(line(now.rows, lots.kit)).toMatchObject({ quantity: 2, opened: 1, sealed: 0 });
    const live = (await get('/on-hand').expect(200)).body;
    expect(now.totals).toEqual(live.totals);
    expect(now.rows.map((r: { lot: string; quantity: number }) => [r.lot, r.quantity])).toEqual(
      live.lines.map((l: { lot: string; quantity: number }) => [l.lot, l.quantity]),
    );
    const csv = await get(`/reports/on-hand/csv?asOf=${day1}`).expect(200);
    expect(csv.text.split('\r\n')[0]).toBe(
      'Product,Finished form,Units per container,NDC,Lot,Expires,Expired,Containers,Sealed,Opened,Quarantined,Quantity,Unit,mg',
    );
    expect(csv.headers['x-content-sha256']).toBe(atDay1.sha256);
    const future = await get(`/reports/on-hand?asOf=2099-01-01`).expect(400);
    expect(future.body.details).toEqual([expect.objectContaining({ field: 'asOf' })]);
    await get('/reports/on-hand', a.token.nurse).expect(403);
  });

  it('a retention the clinic sets (New York: 5 years) is stated on every report, the dispensing log too', async () => {
    await t.http
      .patch('/api/v1/clinic-settings')
      .set(bearer(a.token.admin))
      .send({ csRecordRetentionYears: 5, reason: 'New York: controlled-substance records are kept five years' })
      .expect(200);
    expect((await get(`/reports/losses?from=${day1}&to=${day2}`).expect(200)).body.retentionYears).toBe(5);
    expect((await get('/reports/on-hand').expect(200)).body.retentionYears).toBe(5);
    expect((await get(`/reports/dispensing?from=${day1}&to=${day2}`).expect(200)).body.retentionYears).toBe(5);
    const csv = await get(`/reports/dispensing/csv?from=${day1}&to=${day2}`).expect(200);
    expect(csv.headers['x-record-retention-years']).toBe('5');
  });
});
