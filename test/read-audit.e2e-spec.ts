import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditEvent, AuditService, type Role } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { consentedPatient, sessionAt } from './support/sessions.js';

/** Reads of patient data leave a row: who read which patient's (or which list of) clinical data. */
describe('reads of patient data are audited', () => {
  let t: TestApp;
  let a: Staff;
  let patientId: string;
  let sessionId: string;
  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    patientId = await consentedPatient(t.http, a);
    sessionId = await sessionAt(t.http, a, 'dosing', { patientId });
  });
  afterAll(() => t.close());

  const rowsOf = (requestId: string) => t.runtime.dataSource.getRepository(AuditEvent).findBy({ requestId });
  const day = new Date().toISOString().slice(0, 10);
  const range = `from=${new Date(Date.now() - 86400_000).toISOString()}&to=${new Date(Date.now() + 86400_000).toISOString()}`;

  const READS: Array<[Role, () => string, string, string, () => string | null]> = [
    ['nurse', () => `/api/v1/sessions/${sessionId}/vitals`, 'session.vitals.read', 'session', () => sessionId],
    ['nurse', () => `/api/v1/sessions?patientId=${patientId}`, 'session.list.read', 'patient', () => patientId],
    ['nurse', () => '/api/v1/sessions/board', 'session.board.read', 'session', () => null],
    ['anesthesiologist', () => '/api/v1/board', 'board.read', 'session', () => null],
    ['anesthesiologist', () => '/api/v1/alerts', 'alert.list.read', 'alert', () => null],
    ['nurse', () => `/api/v1/appointments?patientId=${patientId}&${range}`, 'appointment.list.read', 'patient', () => patientId],
    ['admin', () => `/api/v1/schedule?date=${day}`, 'schedule.read', 'schedule', () => day],
    ['nurse', () => '/api/v1/notifications', 'notification.list.read', 'notification', () => null],
    ['nurse', () => `/api/v1/patients/${patientId}/series`, 'patient.series.read', 'patient', () => patientId],
    ['admin', () => '/api/v1/audit', 'audit.read', 'audit', () => null],
  ];
  it.each(READS)('%s at %p leaves %s', async (role, path, action, resourceType, resourceId) => {
    const res = await t.http.get(path()).set(bearer(a.token[role])).expect(200);
    const rows = await rowsOf(res.headers['x-request-id']);
    expect(rows).toEqual([
      expect.objectContaining({
        action,
        resourceType,
        resourceId: resourceId(),
        outcome: 'success',
        actorUserId: a[role].id,
        clinicId: a.clinic.id,
      }),
    ]);
  });

  it('the same read repeated within a minute writes one row and a summary', async () => {
    const count = () =>
      t.runtime.dataSource.getRepository(AuditEvent).countBy({ action: 'session.board.read', actorUserId: a.anesthesiologist.id });
    for (let i = 0; i < 10; i++) await t.http.get('/api/v1/sessions/board').set(bearer(a.token.anesthesiologist)).expect(200);
    expect(await count()).toBe(1);
    await t.app.get(AuditService).flushRefusals(true);
    expect(await count()).toBe(2);
  });

  it('the alert stream leaves a row when opened and one when closed', async () => {
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const rows = () =>
      t.runtime.dataSource
        .getRepository(AuditEvent)
        .find({ where: { resourceType: 'alert-stream', actorUserId: a.nurse.id }, order: { occurredAt: 'ASC' } });
    const req = http.get({ port, host: '127.0.0.1', path: '/api/v1/alerts/stream', headers: bearer(a.token.nurse) });
    const res = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
    expect(res.statusCode).toBe(200);
    await new Promise((r) => res.once('data', r));
    for (let i = 0; i < 50 && (await rows()).length < 1; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await rows()).map((r) => r.action)).toEqual(['alert.stream.open']);
    req.destroy();
    for (let i = 0; i < 50 && (await rows()).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await rows()).map((r) => r.action)).toEqual(['alert.stream.open', 'alert.stream.close']);
    expect((await rows())[1].changes).toMatchObject({ seconds: expect.any(Number) });
  });
});
