import { createHash } from 'node:crypto';
import { localDate } from '../libs/platform/src/index.js';
import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { ADDRESS, onHand, product, readyToStart, receive, registration, witnessedBy } from './support/ledger.js';
import { consentForm } from './support/sessions.js';

const api = '/api/v1';

/** RFC 4180 rows (quoted cells may hold commas). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\r\n').filter(Boolean)) {
    const cells: string[] = [];
    for (const m of line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)) {
      if (m.index === line.length && m[0] === '') break;
      cells.push(m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]);
    }
    rows.push(cells);
  }
  return rows;
}

/**
 * A clinic day: stock received, sessions drawing from a vial and a kit, one stopped early and its
 * rest wasted with a witness, a count at shift change, then the dispensing log and the on-hand report,
 * which reconcile to the milligram and the device with what was received.
 */
describe('controlled substances: a clinic day, and the reports an inspector reads', () => {
  let t: TestApp;
  let a: Staff;
  const clock = new MovableClock();

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const minutes = (m: number) => clock.advanceDays(m / (24 * 60));

  it('receipts − what was drawn = what is on hand; the dispensing log has every 1304.22(c) column, filled', async () => {
    const reg = (await registration(t.http, a)).id;
    const [vial50, kit84] = await Promise.all([product(t.http, a, { mgPerMl: 50 }), product(t.http, a, { devices: 3 })]);
    const [vialA, vialB] = await receive(t.http, a, reg, vial50, 2);
    const [kit] = await receive(t.http, a, reg, kit84, 1);
    const ready = readyToStart(t.http, a, () => clock.now(), await consentForm(t.http, a));
    const remsForm = await consentForm(t.http, a, 'esketamine-rems-enrollment');
    const ivDose = (containerId: string) => ({ doseMgPerKg: 0.5, concentrationMgPerMl: 1, containerId });

    // 08:00 an infusion of 35 mg run to its end; 08:00 another stopped at minute 15; a first esketamine dose of 56 mg.
    const [full, stopped] = [await ready.iv(), await ready.iv()];
    const spray = await ready.esketamine(remsForm, t.runtime.dataSource);
    await post(`/sessions/${full}/start`, a.token.nurse, ivDose(vialA)).expect(200);
    await post(`/sessions/${stopped}/start`, a.token.nurse, ivDose(vialA)).expect(200);
    await post(`/sessions/${spray}/start`, a.token.nurse, { doseMg: 56, containerId: kit }).expect(200);
    minutes(15);
    await post(`/sessions/${stopped}/abort`, a.token.nurse, { reason: 'blood pressure 175/105 despite a slower rate' }).expect(200);
    await post('/ledger/waste', a.token.nurse, {
      containerId: vialA,
      sessionId: stopped,
      unit: 'mL',
      quantity: 0.438,
      reason: 'rest of the infusion, stopped early',
      ...witnessedBy(a.anesthesiologist.id),
    }).expect(201);
    await post(`/sessions/${spray}/end-dosing`, a.token.nurse).expect(200);
    minutes(25);
    await post(`/sessions/${full}/end-dosing`, a.token.nurse).expect(200);

    // Shift change: every container counted blind, witnessed; all as the ledger expects.
    for (const [containerId, unit, counted] of [
      [vialA, 'mL', 8.6],
      [vialB, 'mL', 10],
      [kit, 'device', 1],
    ] as const) {
      const res = await post('/ledger/counts', a.token.nurse, { containerId, unit, counted, ...witnessedBy(a.anesthesiologist.id) }).expect(
        201,
      );
      expect(res.body).toMatchObject({ variance: 0, discrepancyId: null });
    }

    const report = await onHand(t.http, a);
    // Received 2 × 500 mg and 3 devices; drawn 35 + 35 mg and 2 devices.
    expect(report.totals).toEqual({ ketamineMg: 930, esketamineDevices: 1 });

    const today = localDate(clock.now(), a.clinic.timeZone);
    const range = { from: localDate(new Date(clock.now().getTime() - 86_400_000), a.clinic.timeZone), to: today };
    const res = await t.http.get(`${api}/ledger/reports/dispensing/csv`).query(range).set(bearer(a.token.admin)).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const sha256 = createHash('sha256').update(res.text).digest('hex');
    expect(res.headers['x-content-sha256']).toBe(sha256);
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual([
      'Date',
      'Substance',
      'Finished form',
      'Units per container',
      'NDC',
      'Lot',
      'Container',
      'Quantity administered',
      'Unit',
      'mg administered',
      'Quantity drawn',
      'Quantity wasted',
      'Dose given reconciled',
      'Patient name',
      'Patient address',
      'Administered by',
      'Waste witnessed by',
      'Session',
    ]);
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r).toHaveLength(header.length);
      expect(r.filter((cell) => cell.trim() === '')).toEqual([]);
    }
    const bySession = new Map(rows.map((r) => [r[17], Object.fromEntries(header.map((h, i) => [h, r[i]]))]));
    expect(bySession.get(full)).toMatchObject({
      'Finished form': 'injection, 50 mg/mL',
      'Units per container': '10 mL per vial',
      'Quantity administered': '0.7',
      'mg administered': '35',
      'Quantity wasted': '0',
      'Patient address': ADDRESS,
      'Administered by': a.nurse.name,
      'Waste witnessed by': 'no waste',
    });
    expect(bySession.get(stopped)).toMatchObject({
      'Quantity administered': '0.262',
      'mg administered': '13.1',
      'Quantity drawn': '0.7',
      'Quantity wasted': '0.438',
      'Dose given reconciled': 'yes',
      'Waste witnessed by': a.anesthesiologist.name,
    });
    expect(bySession.get(spray)).toMatchObject({
      Substance: expect.stringContaining('Esketamine'),
      'Finished form': 'nasal spray, 28 mg per device',
      'Units per container': '3 devices per kit',
      'Quantity administered': '2',
      Unit: 'device',
      'mg administered': '56',
    });
    // To the milligram: what left the vials is what was given plus what was wasted.
    const ketamine = rows.filter((r) => r[8] === 'mL');
    const givenMg = ketamine.reduce((s, r) => s + Number(r[9]), 0);
    const wastedMg = ketamine.reduce((s, r) => s + Number(r[11]) * 50, 0);
    expect(Math.round((givenMg + wastedMg) * 1000) / 1000).toBe(1000 - report.totals.ketamineMg);

    const [audit] = await t.runtime.dataSource.query(
      `SELECT changes FROM audit_events WHERE action = 'ledger.report.dispensing' AND clinic_id = $1 ORDER BY occurred_at DESC LIMIT 1`,
      [a.clinic.id],
    );
    expect(audit.changes).toMatchObject({ rows: 3, sha256 });
    const json = await t.http.get(`${api}/ledger/reports/dispensing`).query(range).set(bearer(a.token.anesthesiologist)).expect(200);
    expect(json.body).toMatchObject({
      sha256,
      rows: expect.arrayContaining([expect.objectContaining({ sessionId: spray, quantityAdministered: 2 })]),
    });

    // Printed: the same log and the stock on hand as PDFs, each audited with its own SHA-256 beside the CSV's.
    const pdf = (path: string, query: object = {}) =>
      t.http.get(`${api}/ledger/reports/${path}`).query(query).set(bearer(a.token.admin)).responseType('blob').expect(200);
    const log = await pdf('dispensing/pdf', range);
    const onHandPdf = await pdf('on-hand/pdf');
    for (const [printed, name, csvSha] of [
      [log, 'dispensing', sha256],
      [onHandPdf, 'on-hand', null],
    ] as const) {
      const bytes = printed.body as Buffer;
      expect(printed.headers['content-type']).toBe('application/pdf');
      expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
      const printedSha = createHash('sha256').update(bytes).digest('hex');
      expect(printed.headers['x-content-sha256']).toBe(printedSha);
      const [logged] = await t.runtime.dataSource.query(
        `SELECT changes FROM audit_events WHERE action = $1 AND clinic_id = $2 AND changes->>'format' = 'pdf' ORDER BY occurred_at DESC LIMIT 1`,
        [`ledger.report.${name}`, a.clinic.id],
      );
      expect(logged.changes).toMatchObject({ sha256: printedSha, csvSha256: csvSha ?? expect.any(String) });
      const text = bytes.toString('latin1');
      expect(text).toContain('Records are kept 2 years');
      expect(text).toContain('DEA registration AB1234563');
    }
    const logText = (log.body as Buffer).toString('latin1');
    expect(logText).toContain(`SHA-256 of the same report as CSV: ${sha256}`);
    expect(logText).toContain('3 administrations. Given: ketamine 48.1 mg; esketamine 2 devices \\(56 mg\\).');
    expect((onHandPdf.body as Buffer).toString('latin1')).toContain('Totals: ketamine 930 mg; esketamine 1 device.');
  });

  it('a range whose end is before its start is refused, naming `to`', async () => {
    const res = await t.http
      .get(`${api}/ledger/reports/dispensing`)
      .query({ from: '2026-05-02', to: '2026-05-01' })
      .set(bearer(a.token.admin));
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'to' })]);
  });
});
