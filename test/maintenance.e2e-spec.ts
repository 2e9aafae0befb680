import type { Job } from 'bullmq';
import { FollowUpsService } from '../libs/clinic/src/index.js';
import { JobDispatcher, JobName, localParts, TransactionRunner, zonedTimeToUtc } from '../libs/platform/src/index.js';
import { MovableClock, ownDatabase, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { consentForm, consentedPatient, dischargedIvSession } from './support/sessions.js';

const api = '/api/v1';
const TZ = 'America/New_York'; // the factories' clinic zone
const DAY = 86_400_000;

/**
 * Maintenance after induction (re-proposed, brought forward, stopped), patient reminders, consent
 * expiry reminders and the follow-up timings: clinical-rules.md sections 5 and 7, issue 6.
 */
describe('maintenance, reminders and follow-up timings', () => {
  let t: TestApp;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let a: Staff;
  const clock = new MovableClock();
  beforeAll(async () => {
    // The worker's handlers run here (dispatched by hand at the moved clock), so a database of its own.
    db = await ownDatabase();
    t = await startTestApp({ DATABASE_URL: db.url, WORKER_EMBEDDED: 'true', SWEEPER_INTERVAL_SEC: '3600' }, { clock });
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T[]>(sql, params);
  const minutes = (m: number) => clock.advanceDays(m / (24 * 60));

  /** A weekday (the clinic is open Monday to Friday) at least `days` ahead, as the clinic's local date. */
  function weekdayAhead(days: number): string {
    for (let d = days; ; d++) {
      const date = localParts(new Date(clock.now().getTime() + d * DAY), TZ).date;
      const wd = localParts(zonedTimeToUtc(date, '12:00', TZ), TZ).weekday;
      if (wd !== 'sat' && wd !== 'sun') return date;
    }
  }

  async function dispatch(kind: JobName, subjectId: string): Promise<void> {
    const [[row]] = await t.runtime.dataSource.query<[{ id: string }[], number]>(
      `UPDATE pending_work SET due_at = now() WHERE kind = $1 AND subject_id = $2 AND status = 'pending' RETURNING id`,
      [kind, subjectId],
    );
    if (!row) throw new Error(`no pending ${kind} for ${subjectId}`);
    expect(await t.app.get(JobDispatcher).dispatch({ name: kind, id: `t-${row.id}`, data: { workId: row.id } } as unknown as Job)).toBe(
      true,
    );
  }

  const sessionFor = (patientId: string, appointmentId: string) => dischargedIvSession(t.http, a, clock, { patientId, appointmentId });

  /** A patient whose 6-session induction series just ended (the first five marked done, the last one run). */
  async function afterInduction(
    beforeLastSession?: (patientId: string) => Promise<void>,
  ): Promise<{ patientId: string; seriesId: string }> {
    const patientId = await consentedPatient(t.http, a, {}, () => clock.now());
    const chair = (await post('/chairs', a.token.admin, { name: `Chair ${Math.random()}` }).expect(201)).body as { id: string };
    const series = await post(`/patients/${patientId}/series`, a.token.admin, {
      protocol: 'ketamine-iv-standard',
      startDate: weekdayAhead(14),
      preferredTime: '10:00',
      chairId: chair.id,
    }).expect(201);
    const appointments = series.body.appointments as { id: string }[];
    await q(`UPDATE appointments SET status = 'completed' WHERE id = ANY($1)`, [appointments.slice(0, 5).map((x) => x.id)]);
    if (beforeLastSession) await beforeLastSession(patientId);
    await sessionFor(patientId, appointments[5].id);
    return { patientId, seriesId: series.body.series.id as string };
  }

  const tentative = (patientId: string) =>
    q<{ id: string; starts_at: Date; status: string; cancel_reason: string | null }>(
      `SELECT id, starts_at, status, cancel_reason FROM appointments WHERE patient_id = $1 AND status = 'tentative' ORDER BY starts_at`,
      [patientId],
    );
  const proposals = (patientId: string) =>
    q<{ title: string; status: string; subject_id: string }>(
      `SELECT title, status, subject_id FROM follow_ups WHERE patient_id = $1 AND kind = 'maintenance-proposal' ORDER BY created_at`,
      [patientId],
    );

  it('the proposed maintenance session is confirmed, and after it the next one is proposed at the protocol interval', async () => {
    const { patientId } = await afterInduction();
    const [first] = await tentative(patientId);
    expect(first).toBeDefined();
    const confirmed = await post(`/appointments/${first.id}/confirm`, a.token.admin).expect(200);
    expect(confirmed.body.status).toBe('booked');
    await post(`/appointments/${first.id}/confirm`, a.token.nurse).expect(403);
    await post(`/appointments/${first.id}/confirm`, a.token.admin).expect(409);
    expect((await proposals(patientId)).map((p) => p.status)).toEqual(['done']);
    // Confirmed: the patient is reminded 24 h before (if they agreed to be contacted).
    const [reminder] = await q<{ due_at: Date }>(
      `SELECT due_at FROM pending_work WHERE kind = $1 AND subject_id = $2 AND status = 'pending'`,
      [JobName.AppointmentReminder, first.id],
    );
    expect(new Date(first.starts_at).getTime() - new Date(reminder.due_at).getTime()).toBe(24 * 3600_000);

    // The day of the maintenance session comes; after it the next one is proposed 28 days later (ketamine: every 4 weeks), same local time.
    minutes((new Date(first.starts_at).getTime() - clock.now().getTime()) / 60_000);
    await sessionFor(patientId, first.id);
    const [next] = await tentative(patientId);
    expect(next).toBeDefined();
    const when = localParts(new Date(next.starts_at), TZ);
    expect(when.time).toBe('10:00');
    const expected = localParts(new Date(clock.now().getTime() + 28 * DAY), TZ).date;
    expect(when.date >= expected).toBe(true);
    expect((Date.parse(when.date) - Date.parse(expected)) / DAY).toBeLessThanOrEqual(2);
    const tasks = await proposals(patientId);
    expect(tasks.map((p) => p.status)).toEqual(['done', 'due']);
    expect(tasks[1].title).toMatch(/^Next maintenance session: confirm or move/);
  });

  it('an administrator moves a proposal: the old one is kept as moved, the new one is booked and its task done', async () => {
    const { patientId } = await afterInduction();
    const [proposal] = await tentative(patientId);
    const to = zonedTimeToUtc(localParts(new Date(proposal.starts_at), TZ).date, '13:00', TZ);
    const moved = await post(`/appointments/${proposal.id}/move`, a.token.admin, { startsAt: to.toISOString() }).expect(200);
    expect(moved.body).toMatchObject({ status: 'booked', startsAt: to.toISOString() });
    const [old] = await q<{ status: string; cancel_reason: string }>(`SELECT status, cancel_reason FROM appointments WHERE id = $1`, [
      proposal.id,
    ]);
    expect(old).toEqual({ status: 'cancelled', cancel_reason: 'moved' });
    expect((await proposals(patientId)).map((p) => p.status)).toEqual(['done']);
    // Moving onto a closed hour is refused and changes nothing.
    const night = zonedTimeToUtc(localParts(to, TZ).date, '22:00', TZ);
    await post(`/appointments/${moved.body.id}/move`, a.token.admin, { startsAt: night.toISOString() }).expect(422);
    const [still] = await q<{ status: string }>(`SELECT status FROM appointments WHERE id = $1`, [moved.body.id]);
    expect(still.status).toBe('booked');
  });

  it('a relapse signal proposes the next maintenance session earlier, once', async () => {
    const phq9 = (total: number, at: Date) => {
      // Nine items summing to `total` (each 0–3; item 9 stays 0).
      const items = Array.from({ length: 9 }, (_, i) => (i < 8 ? Math.min(3, Math.max(0, total - i * 3)) : 0));
      return post(`/patients/${patientId}/assessments`, a.token.nurse, {
        instrument: 'PHQ9',
        items,
        administeredAt: at.toISOString(),
      }).expect(201);
    };
    let patientId = '';
    ({ patientId } = await afterInduction(async (id) => {
      patientId = id;
      await phq9(20, new Date(clock.now().getTime() - 2 * DAY)); // baseline, before the first session
    }));
    const [planned] = await tentative(patientId);
    minutes(60);
    await phq9(8, clock.now()); // response: 60% down
    expect(await tentative(patientId)).toEqual([planned]);
    minutes(60);
    await phq9(14, clock.now()); // above half the baseline again: relapse
    const now = await tentative(patientId);
    expect(now).toHaveLength(1);
    expect(now[0].id).not.toBe(planned.id);
    const soon = localParts(new Date(now[0].starts_at), TZ);
    expect(soon.time).toBe('10:00');
    expect(soon.date).toBe(weekdayAhead(1));
    const [old] = await q<{ status: string; cancel_reason: string }>(`SELECT status, cancel_reason FROM appointments WHERE id = $1`, [
      planned.id,
    ]);
    expect(old).toEqual({ status: 'cancelled', cancel_reason: 'brought forward: PHQ-9 14' });
    const tasks = await proposals(patientId);
    expect(tasks.map((p) => p.status)).toEqual(['cancelled', 'due']);
    expect(tasks[1].title).toMatch(/^Relapse signal \(PHQ-9 14\)/);
    // Still relapsed a little later: one is already that soon, nothing more is proposed.
    minutes(30);
    await phq9(15, clock.now());
    expect(await tentative(patientId)).toHaveLength(1);
    expect(await proposals(patientId)).toHaveLength(2);
  });

  it('withdrawn consent stops maintenance: the proposal and its task are cancelled, the series says why', async () => {
    const { patientId, seriesId } = await afterInduction();
    expect(await tentative(patientId)).toHaveLength(1);
    const consents = await t.http.get(`${api}/patients/${patientId}/consents`).set(bearer(a.token.nurse)).expect(200);
    const consentId = (consents.body.items as { id: string }[])[0].id;
    await post(`/patients/${patientId}/consents/${consentId}/withdraw`, a.token.nurse, { reason: 'no longer wishes treatment' }).expect(
      200,
    );
    expect(await tentative(patientId)).toEqual([]);
    expect((await proposals(patientId)).map((p) => p.status)).toEqual(['cancelled']);
    const [series] = await q(`SELECT status, stopped_reason FROM treatment_series WHERE id = $1`, [seriesId]);
    expect(series).toEqual({ status: 'stopped', stopped_reason: 'ketamine-off-label consent withdrawn' });
    const [expiry] = await q(`SELECT status FROM follow_ups WHERE subject_id = $1 AND kind = 'consent-expiry'`, [consentId]);
    expect(expiry).toEqual({ status: 'cancelled' });
  });

  it('discharge from care: maintenance stops, future appointments are flagged, new bookings are refused', async () => {
    const { patientId, seriesId } = await afterInduction();
    const chair = (await post('/chairs', a.token.admin, { name: `Chair ${Math.random()}` }).expect(201)).body as { id: string };
    const booked = await post('/appointments', a.token.admin, {
      patientId,
      chairId: chair.id,
      protocol: 'ketamine-iv-standard',
      startsAt: zonedTimeToUtc(weekdayAhead(3), '14:00', TZ).toISOString(),
    }).expect(201);
    await post(`/patients/${patientId}/discharge-from-care`, a.token.nurse, { reason: 'treatment completed' }).expect(403);
    const res = await post(`/patients/${patientId}/discharge-from-care`, a.token.anesthesiologist, {
      reason: 'treatment completed',
    }).expect(200);
    expect(res.body).toEqual({ stoppedSeries: [seriesId], flaggedAppointments: 1, cancelledAppointments: [booked.body.id] });
    await post(`/patients/${patientId}/discharge-from-care`, a.token.admin, { reason: 'again' }).expect(409);
    const patient = await t.http.get(`${api}/patients/${patientId}`).set(bearer(a.token.nurse)).expect(200);
    expect(patient.body).toMatchObject({ careStatus: 'discharged', dischargedFromCareReason: 'treatment completed' });
    expect(await tentative(patientId)).toEqual([]);
    const [flagged] = await q<{ flags: string[] }>(`SELECT flags FROM appointments WHERE id = $1`, [booked.body.id]);
    expect(flagged.flags).toContain('patient-discharged-from-care');
    const refused = await post('/appointments', a.token.admin, {
      patientId,
      chairId: chair.id,
      protocol: 'ketamine-iv-standard',
      startsAt: zonedTimeToUtc(weekdayAhead(5), '14:00', TZ).toISOString(),
    }).expect(422);
    expect(refused.body.details[0].code).toBe('PATIENT_DISCHARGED_FROM_CARE');
    const [audit] = await q(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'patient.discharge-from-care' AND resource_id = $1`,
      [patientId],
    );
    expect(audit).toEqual({ n: 1 });
  });

  describe('appointment reminders, the day before', () => {
    async function bookFor(extra: Record<string, unknown>): Promise<{ patientId: string; appointmentId: string }> {
      const patientId = await consentedPatient(t.http, a, extra, () => clock.now());
      const chairId = ((await post('/chairs', a.token.admin, { name: `Reminders ${Math.random()}` }).expect(201)).body as { id: string })
        .id;
      const res = await post('/appointments', a.token.admin, {
        patientId,
        chairId,
        protocol: 'ketamine-iv-standard',
        startsAt: zonedTimeToUtc(weekdayAhead(3), '09:00', TZ).toISOString(),
      }).expect(201);
      return { patientId, appointmentId: res.body.id as string };
    }
    const outbox = (address: string) =>
      q<{ subject: string; body: string }>(`SELECT subject, body FROM notifications WHERE recipient_address = $1`, [address]);

    it.each([
      ['email, agreed', { contactPreference: 'email', contactConsent: true }, 1, 0],
      ['email, not agreed to be contacted', { contactPreference: 'email', contactConsent: false }, 0, 0],
      ['no preference', { contactPreference: 'none', contactConsent: true }, 0, 0],
      ['phone, agreed: a call task for the front desk', { contactPreference: 'phone', contactConsent: true }, 0, 1],
    ])('%s', async (_name, contact, emails, calls) => {
      const email = `patient-${Math.random().toString(36).slice(2)}@example.org`;
      const { patientId, appointmentId } = await bookFor({ email, ...contact });
      await dispatch(JobName.AppointmentReminder, appointmentId);
      const sent = await outbox(email);
      expect(sent).toHaveLength(emails);
      if (emails) {
        expect(sent[0].subject).toMatch(/ at 09:00$/);
        expect(sent[0].body).toMatch(/must not drive until the next day/);
      }
      const tasks = await q(`SELECT title FROM follow_ups WHERE patient_id = $1 AND kind = 'appointment-reminder-call'`, [patientId]);
      expect(tasks).toHaveLength(calls);
    });

    it('a cancelled appointment is not reminded', async () => {
      const { appointmentId } = await bookFor({ email: 'cancelled@example.org', contactPreference: 'email', contactConsent: true });
      await post(`/appointments/${appointmentId}/cancel`, a.token.admin, { reason: 'patient called' }).expect(200);
      const [row] = await q(`SELECT status FROM pending_work WHERE kind = $1 AND subject_id = $2`, [
        JobName.AppointmentReminder,
        appointmentId,
      ]);
      expect(row).toEqual({ status: 'cancelled' });
    });

    it('an email preference needs an address, a phone preference a number', async () => {
      const res = await t.http
        .post(`${api}/patients`)
        .set(bearer(a.token.nurse))
        .send({
          mrn: `NOMAIL-${Math.random()}`,
          firstName: 'A',
          lastName: 'B',
          dateOfBirth: '1980-01-01',
          weightKg: 70,
          contactPreference: 'email',
        })
        .expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'contactPreference' })]);
    });
  });

  it('a task still open a day after it came due escalates to the administrators; a moved one escalates later', async () => {
    const patientId = await consentedPatient(t.http, a, {}, () => clock.now());
    const create = (dueAt: Date) =>
      t.app
        .get(TransactionRunner)
        .run((tx) =>
          t.app
            .get(FollowUpsService)
            .create(tx, { clinicId: a.clinic.id, patientId, kind: 'check-in-call-24h', title: 'Call', dueAt, assigneeRole: 'nurse' }),
        );
    const escalation = async (id: string) =>
      (
        await q<{ due_at: Date }>(`SELECT due_at FROM pending_work WHERE kind = $1 AND subject_id = $2 AND status = 'pending'`, [
          JobName.FollowUpEscalate,
          id,
        ])
      )[0]?.due_at;
    const task = await create(clock.now());
    expect(new Date(await escalation(task.id)).getTime() - task.dueAt.getTime()).toBe(24 * 3600_000);
    const admins = await q<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE clinic_id = $1 AND role = 'admin' AND active`, [
      a.clinic.id,
    ]);
    minutes(25 * 60);
    await dispatch(JobName.FollowUpEscalate, task.id);
    const told = await q<{ subject: string }>(`SELECT subject FROM notifications WHERE body LIKE $1 AND subject LIKE 'Vigil: overdue%'`, [
      `%Follow-up ${task.id}.%`,
    ]);
    expect(told.map((x) => x.subject)).toEqual(Array(admins[0].n).fill('Vigil: overdue: check in call 24h'));
    // A task moved before its time takes its escalation along.
    const later = await create(new Date(clock.now().getTime() + 2 * 3600_000));
    const dueAt = new Date(clock.now().getTime() + 5 * 3600_000);
    await post(`/follow-ups/${later.id}/reschedule`, a.token.nurse, { dueAt: dueAt.toISOString() }).expect(200);
    expect(new Date(await escalation(later.id)).getTime()).toBe(dueAt.getTime() + 24 * 3600_000);
  });

  it('a signed consent gets its expiry reminder 30 days before; re-signing replaces it', async () => {
    const patientId = await consentedPatient(t.http, a, {}, () => clock.now());
    const [first] = await q<{ id: string; expires_at: Date }>(`SELECT id, expires_at FROM patient_consents WHERE patient_id = $1`, [
      patientId,
    ]);
    const [task] = await q<{ due_at: Date; status: string; title: string }>(
      `SELECT due_at, status, title FROM follow_ups WHERE subject_id = $1 AND kind = 'consent-expiry'`,
      [first.id],
    );
    expect(task.status).toBe('pending');
    expect(task.title).toBe(
      `The ketamine-off-label consent expires on ${localParts(new Date(first.expires_at), TZ).date}: arrange re-consent`,
    );
    expect(new Date(first.expires_at).getTime() - new Date(task.due_at).getTime()).toBe(30 * DAY);
    const formId = await consentForm(t.http, a);
    await post(`/patients/${patientId}/consents`, a.token.nurse, {
      formId,
      signedAt: clock.now().toISOString(),
      signedByName: 'Ana Souza',
      method: 'in-person',
    }).expect(201);
    const tasks = await q<{ status: string }>(
      `SELECT f.status FROM follow_ups f WHERE f.patient_id = $1 AND f.kind = 'consent-expiry' ORDER BY f.created_at`,
      [patientId],
    );
    expect(tasks.map((x) => x.status)).toEqual(['cancelled', 'pending']);
  });

  describe('follow-up timings are the clinic’s to edit', () => {
    let b: Staff;
    beforeAll(async () => {
      b = await clinicWithStaff(t.runtime.dataSource, t.http);
    });
    const patch = (body: object, token = b.token.admin) => t.http.patch(`${api}/clinic-settings`).set(bearer(token)).send(body);

    it.each([
      [{ remsFormDueDays: 8 }, 'remsFormDueDays'],
      [{ remsFormDueDays: 4, remsFormEscalateDays: 5 }, 'remsFormEscalateDays'],
      [{ phq9AfterInductionHours: [168, 24] }, 'phq9AfterInductionHours'],
      [{ phq9AfterInductionHours: [0] }, 'phq9AfterInductionHours'],
      [{ appointmentReminderHours: 0 }, 'appointmentReminderHours'],
      [{ consentExpiryReminderDays: 'soon' }, 'consentExpiryReminderDays'],
      [{ followUpOverdueEscalationHours: 0 }, 'followUpOverdueEscalationHours'],
    ])('%j is refused, naming %s', async (body, field) => {
      const res = await patch({ ...body, reason: 'testing limits' }).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('an edit applies to what comes next, audited with before and after', async () => {
      await patch({ consentExpiryReminderDays: 45, reason: 'front desk needs more time' }, b.token.nurse).expect(403);
      const res = await patch({
        consentExpiryReminderDays: 45,
        appointmentReminderHours: 48,
        checkInCallAfterHours: 20,
        phq9AfterInductionHours: [24, 168, 336, 672],
        followUpOverdueEscalationHours: 12,
        reason: 'front desk needs more time',
      }).expect(200);
      expect(res.body).toMatchObject({
        consentExpiryReminderDays: 45,
        appointmentReminderHours: 48,
        checkInCallAfterHours: 20,
        phq9AfterInductionHours: [24, 168, 336, 672],
        followUpOverdueEscalationHours: 12,
        remsFormDueDays: 7,
      });
      expect(res.body.sources.consentExpiryReminderDays).toBe('edited by the clinic: front desk needs more time');
      const [audit] = await q<{ changes: { before: Record<string, unknown>; after: Record<string, unknown> } }>(
        `SELECT changes FROM audit_events WHERE action = 'clinic-settings.edit' AND resource_id = $1`,
        [b.clinic.id],
      );
      expect(audit.changes.before['consentExpiryReminderDays']).toBe(30);
      expect(audit.changes.after['consentExpiryReminderDays']).toBe(45);
      const patientId = await consentedPatient(t.http, b, {}, () => clock.now());
      const [row] = await q<{ expires_at: Date; due_at: Date }>(
        `SELECT c.expires_at, f.due_at FROM patient_consents c JOIN follow_ups f ON f.subject_id = c.id AND f.kind = 'consent-expiry' WHERE c.patient_id = $1`,
        [patientId],
      );
      expect(new Date(row.expires_at).getTime() - new Date(row.due_at).getTime()).toBe(45 * DAY);
    });
  });
});
