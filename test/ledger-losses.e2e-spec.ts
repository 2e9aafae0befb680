import { LedgerAlerts } from '../libs/clinic/src/index.js';
import { JobName, PendingWork, TransactionRunner } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { onHand, product, receive, registration, witnessedBy, type Product } from './support/ledger.js';

const api = '/api/v1/ledger';

/**
 * Theft or loss: the report takes what was lost out of its container, starts the two DEA clocks
 * (written notice by the end of the next business day, Form 106 within 45 days) in the clinic's zone
 * and with its holiday list, and leaves its reminders as rows in PostgreSQL that the queue fires.
 */
describe('controlled substances: theft and loss reports', () => {
  let t: TestApp;
  let a: Staff;
  let reg: string;
  let vial50: Product;

  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    reg = (await registration(t.http, a)).id;
    vial50 = await product(t.http, a, { mgPerMl: 50 });
  });
  afterAll(() => t.close());

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T[]>(sql, params);
  // Friday 4 December 2026, 16:00 in New York (the clinic's zone).
  const FRIDAY_4PM = '2026-12-04T16:00:00-05:00';

  /**
   * Runs the handler of the pending-work row of `kind` for `subjectId` in a transaction, as the worker
   * does once the row is due (the queue's claim-once machinery is the platform's, tested with it).
   */
  async function fire(kind: JobName, subjectId: string): Promise<void> {
    const work = await t.runtime.dataSource.manager.findOneByOrFail(PendingWork, { kind, subjectId });
    const alerts = t.app.get(LedgerAlerts);
    await t.app
      .get(TransactionRunner)
      .run((tx) => (kind === JobName.LedgerLossDeadline ? alerts.lossDeadline(work, tx) : alerts.discrepancyOverdue(work, tx)));
  }
  const mailTo = (userId: string, like: string) =>
    q(`SELECT subject FROM notifications WHERE recipient_user_id = $1 AND body LIKE $2 ORDER BY created_at`, [userId, like]);

  it('a theft of 2 mL from a vial: the balance drops by a loss event, the clocks start, the worksheet holds what Form 106 asks', async () => {
    const [vial] = await receive(t.http, a, reg, vial50);
    const res = await post('/losses', a.token.anesthesiologist, {
      kind: 'theft',
      discoveredAt: FRIDAY_4PM,
      narrative: 'the vial was found 2 mL short at the evening count; the cabinet lock was forced',
      containerId: vial,
      quantity: 2,
      unit: 'mL',
    }).expect(201);
    expect(res.body).toMatchObject({
      status: 'open',
      // By the end of Monday 7 December in New York; Form 106 by the end of Monday 18 January.
      noticeDueAt: '2026-12-08T05:00:00.000Z',
      form106DueAt: '2027-01-19T05:00:00.000Z',
      worksheet: {
        deaNumber: 'AB1234563',
        registrantName: 'Harbor Clinic',
        kindOfLoss: 'theft',
        items: [expect.objectContaining({ quantity: 2, unit: 'mL', mg: 100, ndc: '0409-2051-05' })],
      },
    });
    const [e] = await q(`SELECT kind, delta::float, balance_after::float AS after FROM cs_events WHERE id = $1`, [res.body.lossEventId]);
    expect(e).toEqual({ kind: 'loss', delta: -2, after: 8 });
    const [c] = await q(`SELECT lot FROM cs_containers WHERE id = $1`, [vial]);
    expect((await onHand(t.http, a)).lines.find((l) => l.lot === c.lot)).toMatchObject({ quantity: 8, quantityMg: 400 });
  });

  it('a Monday on the clinic’s DEA holiday list moves the notice to the end of Tuesday; the list does not move reports already made', async () => {
    const before = await post('/losses', a.token.anesthesiologist, {
      kind: 'loss',
      discoveredAt: FRIDAY_4PM,
      narrative: 'tote arrived one vial short',
      registrationId: reg,
    }).expect(201);
    await post('/holidays', a.token.admin, { date: '2026-12-07', name: 'A holiday for the test' }).expect(201);
    await post('/holidays', a.token.admin, { date: '2026-12-07', name: 'again' }).expect(409);
    const after = await post('/losses', a.token.anesthesiologist, {
      kind: 'loss',
      discoveredAt: FRIDAY_4PM,
      narrative: 'tote arrived one vial short',
      registrationId: reg,
    }).expect(201);
    expect(after.body.noticeDueAt).toBe('2026-12-09T05:00:00.000Z');
    const kept = await t.http.get(`${api}/losses/${before.body.id}`).set(bearer(a.token.admin)).expect(200);
    expect(kept.body.noticeDueAt).toBe('2026-12-08T05:00:00.000Z');
  });

  it('more than the container holds is refused and nothing is written', async () => {
    const [vial] = await receive(t.http, a, reg, vial50);
    const res = await post('/losses', a.token.anesthesiologist, {
      kind: 'loss',
      discoveredAt: FRIDAY_4PM,
      narrative: 'vial broke in the cabinet',
      containerId: vial,
      quantity: 10.5,
      unit: 'mL',
    }).expect(422);
    expect(res.body.code).toBe('CS_BALANCE_NEGATIVE');
    expect(await q(`SELECT 1 FROM cs_loss_reports WHERE container_id = $1`, [vial])).toEqual([]);
  });

  it('the reminders are rows in PostgreSQL; each tells the anesthesiologists and administrators once, and stops when its clock is done', async () => {
    const loss = (
      await post('/losses', a.token.anesthesiologist, {
        kind: 'loss',
        discoveredAt: FRIDAY_4PM,
        narrative: 'a kit missing at the count',
        registrationId: reg,
      }).expect(201)
    ).body as { id: string };
    const deadlines = await q<{ id: string; clock: string; kind: string; due_at: Date; work_due: Date; work_status: string }>(
      `SELECT d.id, d.clock, d.kind, d.due_at, w.due_at AS work_due, w.status AS work_status
         FROM cs_loss_deadlines d JOIN pending_work w ON w.subject_id = d.id AND w.kind = 'ledger-loss-deadline'
        WHERE d.loss_report_id = $1 ORDER BY d.due_at`,
      [loss.id],
    );
    expect(deadlines.map((d) => `${d.clock} ${d.kind}`)).toEqual([
      'notice reminder-50',
      'notice reminder-90',
      'notice overdue',
      'form-106 reminder-50',
      'form-106 reminder-90',
      'form-106 overdue',
    ]);
    for (const d of deadlines) expect({ work: d.work_due, status: d.work_status }).toEqual({ work: d.due_at, status: 'pending' });
    const of = (clock: string, kind: string) => deadlines.find((d) => d.clock === clock && d.kind === kind)!.id;

    await fire(JobName.LedgerLossDeadline, of('notice', 'reminder-50'));
    // Run twice (a job retried): told once.
    await fire(JobName.LedgerLossDeadline, of('notice', 'reminder-50'));
    for (const u of [a.anesthesiologist, a.admin])
      expect(await mailTo(u.id, `%${loss.id}%`)).toEqual([
        { subject: 'Vigil: written notice to the DEA field office due for a controlled-substance loss' },
      ]);
    expect(await mailTo(a.nurse.id, `%${loss.id}%`)).toEqual([]);

    await post(`/losses/${loss.id}/form-106`, a.token.admin, { filedAt: new Date().toISOString(), confirmationNumber: 'X-1' }).expect(409);
    await post(`/losses/${loss.id}/notice`, a.token.admin, {
      notifiedAt: new Date().toISOString(),
      reference: 'letter faxed to the New England field division',
    }).expect(200);
    // The notice is recorded: its overdue alert tells no one; Form 106's clock still runs.
    await fire(JobName.LedgerLossDeadline, of('notice', 'overdue'));
    await fire(JobName.LedgerLossDeadline, of('form-106', 'reminder-50'));
    expect((await mailTo(a.admin.id, `%${loss.id}%`)).map((m) => m.subject)).toEqual([
      'Vigil: written notice to the DEA field office due for a controlled-substance loss',
      'Vigil: DEA Form 106 due for a controlled-substance loss',
    ]);
    const filed = await post(`/losses/${loss.id}/form-106`, a.token.anesthesiologist, {
      filedAt: new Date().toISOString(),
      confirmationNumber: 'DEA106-2026-000123',
    }).expect(200);
    expect(filed.body).toMatchObject({
      status: 'filed',
      form106Number: 'DEA106-2026-000123',
      noticeReference: 'letter faxed to the New England field division',
    });
    await fire(JobName.LedgerLossDeadline, of('form-106', 'overdue'));
    expect(await mailTo(a.admin.id, `%${loss.id}%`)).toHaveLength(2);
  });

  it('a discrepancy still open when due is escalated to the anesthesiologists and administrators, once resolved nothing is sent', async () => {
    const [vial, other] = await receive(t.http, a, reg, vial50, 2);
    const count = (containerId: string) =>
      post('/counts', a.token.nurse, { containerId, unit: 'mL', counted: 9, ...witnessedBy(a.anesthesiologist.id) }).expect(201);
    const open = (await count(vial)).body.discrepancyId as string;
    const [work] = await q<{ due_at: Date }>(
      `SELECT due_at FROM pending_work WHERE kind = 'ledger-discrepancy-overdue' AND subject_id = $1`,
      [open],
    );
    const [d] = await q<{ due_at: Date }>(`SELECT due_at FROM cs_discrepancies WHERE id = $1`, [open]);
    expect(work.due_at).toEqual(d.due_at);
    await fire(JobName.LedgerDiscrepancyOverdue, open);
    expect(await mailTo(a.anesthesiologist.id, `%${open}%`)).toEqual([
      { subject: 'Vigil: OVERDUE: a controlled-substance discrepancy is unresolved' },
    ]);

    const resolved = (await count(other)).body.discrepancyId as string;
    await post(`/discrepancies/${resolved}/resolve`, a.token.anesthesiologist, {
      resolution: 'a charted waste was missed; recounted',
    }).expect(200);
    await fire(JobName.LedgerDiscrepancyOverdue, resolved);
    expect(await mailTo(a.anesthesiologist.id, `%${resolved}%`)).toEqual([]);
  });
});
