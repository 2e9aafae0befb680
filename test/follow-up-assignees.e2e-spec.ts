import type { Role } from '../libs/platform/src/index.js';
import { FollowUp } from '../libs/clinic/src/follow-ups/follow-up.entity.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';

/** A follow-up is acted on by the role it is assigned to, and by anesthesiologists when it is clinical (api.md). */
describe('follow-ups: who may complete, reschedule or cancel', () => {
  let t: TestApp;
  let a: Staff;
  let patientId: string;
  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    patientId = (await createPatient(t.http, a.token.nurse)).id;
  });
  afterAll(() => t.close());

  const task = async (assigneeRole: Role) =>
    (
      await t.runtime.dataSource.getRepository(FollowUp).save({
        clinicId: a.clinic.id,
        patientId,
        kind: 'check-in-call-24h',
        title: 'Call the patient',
        dueAt: new Date(Date.now() + 3600_000),
        status: 'pending',
        assigneeRole,
      })
    ).id;

  const ACTIONS = {
    complete: { note: 'called; doing well' },
    reschedule: { dueAt: new Date(Date.now() + 2 * 86400_000).toISOString() },
    cancel: { reason: 'patient moved away' },
  } as const;

  // assigned to, acting role, expected answer
  it.each([
    ['anesthesiologist', 'nurse', 403],
    ['anesthesiologist', 'anesthesiologist', 200],
    ['anesthesiologist', 'admin', 404],
    ['nurse', 'nurse', 200],
    ['nurse', 'anesthesiologist', 200],
    ['nurse', 'admin', 404],
    ['admin', 'admin', 200],
    ['admin', 'nurse', 403],
    ['admin', 'anesthesiologist', 403],
  ] as const)('a task assigned to the %s, acted on by the %s: %i', async (assignee, actor, status) => {
    for (const [action, body] of Object.entries(ACTIONS)) {
      const id = await task(assignee);
      const res = await t.http.post(`/api/v1/follow-ups/${id}/${action}`).set(bearer(a.token[actor])).send(body);
      expect({ action, status: res.status }).toEqual({ action, status });
      if (status === 403) expect(res.body.code).toBe('FORBIDDEN');
    }
  });
});
