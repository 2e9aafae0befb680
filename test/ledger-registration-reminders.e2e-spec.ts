import { LedgerAlerts, registrationMilestones } from '../libs/clinic/src/index.js';
import { JobName, PendingWork, TransactionRunner } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { dayFrom, randomDeaNumber, registration } from './support/ledger.js';

const api = '/api/v1/ledger';

/**
 * A DEA registration's expiry leaves two reminders as rows the durable queue fires: its renewal, 60
 * days before, and its lapse, the day after. A renewal recorded in Vigil (a new expiry) replaces them.
 */
describe('controlled substances: reminders before a DEA registration lapses', () => {
  let t: TestApp;
  let a: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T[]>(sql, params);
  const remindersOf = (registrationId: string) =>
    q<{ id: string; kind: string; basis: string; due_at: Date; work: string; work_due: Date }>(
      `SELECT r.id, r.kind, to_char(r.basis, 'YYYY-MM-DD') AS basis, r.due_at, w.status AS work, w.due_at AS work_due
         FROM cs_reminders r JOIN pending_work w ON w.subject_id = r.id AND w.kind = 'ledger-reminder'
        WHERE r.registration_id = $1 ORDER BY r.created_at, r.due_at`,
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

  it('registering schedules the renewal reminder 60 days before the expiry and the lapse the day after', async () => {
    const deaNumber = randomDeaNumber();
    const expiresOn = dayFrom(400);
    const reg = await registration(t.http, a, { deaNumber, expiresOn });
    const [renewal, lapse] = registrationMilestones(expiresOn, 'America/New_York');
    expect(await remindersOf(reg.id)).toEqual([
      expect.objectContaining({
        kind: 'registration-renewal',
        basis: expiresOn,
        due_at: renewal.dueAt,
        work: 'pending',
        work_due: renewal.dueAt,
      }),
      expect.objectContaining({
        kind: 'registration-lapsed',
        basis: expiresOn,
        due_at: lapse.dueAt,
        work: 'pending',
        work_due: lapse.dueAt,
      }),
    ]);
  });

  it('tells the anesthesiologists and administrators once; a renewal replaces the reminders and the old ones stay silent', async () => {
    const deaNumber = randomDeaNumber();
    const reg = await registration(t.http, a, { deaNumber, expiresOn: dayFrom(45) });
    const [renewal, lapse] = await remindersOf(reg.id);
    await fire(renewal.id);
    await fire(renewal.id);
    for (const u of [a.anesthesiologist, a.admin])
      expect(await mailTo(u.id, `%${reg.id}%`)).toEqual([{ subject: `Vigil: DEA registration ${deaNumber} expires on ${dayFrom(45)}` }]);
    expect(await mailTo(a.nurse.id, `%${reg.id}%`)).toEqual([]);

    // An address change schedules nothing; a renewal (a new expiry) replaces both reminders.
    const moved = await t.http
      .patch(`${api}/registrations/${reg.id}`)
      .set(bearer(a.token.admin))
      .send({ version: reg.version, address: '2 Main St, Boston MA' })
      .expect(200);
    expect(await remindersOf(reg.id)).toHaveLength(2);
    await t.http
      .patch(`${api}/registrations/${reg.id}`)
      .set(bearer(a.token.admin))
      .send({ version: moved.body.version, expiresOn: dayFrom(45 + 3 * 365) })
      .expect(200);
    const after = await remindersOf(reg.id);
    expect(after.map((r) => [r.kind, r.basis, r.work])).toEqual([
      ['registration-renewal', dayFrom(45), 'pending'],
      ['registration-lapsed', dayFrom(45), 'cancelled'],
      ['registration-renewal', dayFrom(45 + 3 * 365), 'pending'],
      ['registration-lapsed', dayFrom(45 + 3 * 365), 'pending'],
    ]);
    // The old lapse, fired anyway (a job already queued), tells no one; the new one would.
    await fire(lapse.id);
    expect(await mailTo(a.admin.id, `%${reg.id}%`)).toHaveLength(1);
    await fire(after[3].id);
    expect((await mailTo(a.admin.id, `%${reg.id}%`)).map((m) => m.subject)).toEqual([
      `Vigil: DEA registration ${deaNumber} expires on ${dayFrom(45)}`,
      `Vigil: DEA registration ${deaNumber} has lapsed`,
    ]);
  });
});
