import type { AddressInfo } from 'node:net';
import { AuditEvent, Notification } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { consentedPatient, readySession, sessionAt, startBody, vitals } from './support/sessions.js';

const api = '/api/v1';

/** A Server-Sent Events client on the real socket: collects events as they arrive. */
async function sseClient(baseUrl: string, token: string, lastEventId?: string) {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}${api}/alerts/stream`, {
    headers: { Authorization: `Bearer ${token}`, ...(lastEventId && { 'Last-Event-ID': lastEventId }) },
    signal: controller.signal,
  });
  const events: { id: string; event: string; data: Record<string, unknown> }[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => !l.startsWith(':'))
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
          );
          if (fields['data'])
            events.push({ id: fields['id'], event: fields['event'], data: JSON.parse(fields['data']) as Record<string, unknown> });
        }
      }
    } catch {
      // aborted
    }
  })();
  const waitFor = async (pred: (e: (typeof events)[number]) => boolean, ms = 5000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const found = events.find(pred);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no matching event in ${ms} ms; got ${JSON.stringify(events)}`);
  };
  return { status: res.status, events, waitFor, close: () => controller.abort() };
}

describe('sessions: lifecycle, pre-session gate, vitals and alerts', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    b = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);

  it('a full IV session: gate, high baseline approved, dose, vitals, a critical alert streamed, acknowledged and resolved, pause, end of dosing', async () => {
    const patientId = await consentedPatient(t.http, a);
    const nurse = a.token.nurse;
    const doc = a.token.anesthesiologist;
    const s = (await post('/sessions', nurse, { patientId, protocol: 'ketamine-iv-standard' }).expect(201)).body as {
      id: string;
      status: string;
    };
    expect(s.status).toBe('scheduled');
    const early = await post(`/sessions/${s.id}/start`, doc, startBody).expect(409);
    expect(early.body.code).toBe('INVALID_TRANSITION');
    await post(`/sessions/${s.id}/check-in`, nurse, { chairLabel: 'Chair 2' }).expect(200);
    await post(`/sessions/${s.id}/pre-checks`, nurse, {
      transportHome: 'escort',
      pregnancyStatus: 'not-pregnant',
      cssrsScreener: 'negative',
    }).expect(200);

    const noBaseline = await post(`/sessions/${s.id}/start`, nurse, startBody).expect(422);
    expect(noBaseline.body.details.map((d: { code: string }) => d.code)).toEqual(['BASELINE_VITALS_MISSING']);

    const baseline = await post(`/sessions/${s.id}/vitals`, nurse, vitals({ systolic: 150, diastolic: 95, heartRate: 84 })).expect(201);
    expect(baseline.body.reading).toMatchObject({ baseline: true, phase: 'pre-dose', breachLevel: 'none' });
    expect(baseline.body.alerts).toEqual([]);

    const high = await post(`/sessions/${s.id}/start`, nurse, startBody).expect(422);
    expect(high.body.code).toBe('BASELINE_BP_HIGH');
    expect(high.body.details).toEqual([expect.objectContaining({ code: 'BASELINE_BP_HIGH', overridable: true })]);
    await post(`/sessions/${s.id}/start`, nurse, { ...startBody, overrides: [{ code: 'BASELINE_BP_HIGH', reason: 'nurse tries' }] }).expect(
      403,
    );

    const stream = await sseClient(baseUrl, doc);
    expect(stream.status).toBe(200);
    const started = await post(`/sessions/${s.id}/start`, doc, {
      ...startBody,
      overrides: [{ code: 'BASELINE_BP_HIGH', reason: 'anxious on arrival; repeat 10 min' }],
    }).expect(200);
    expect(started.body).toMatchObject({
      status: 'dosing',
      dose: { mgPerKg: 0.5, orderedDoseMg: 35, doseMg: 35, rateMgPerH: 52.5, rateMlPerH: 52.5, durationMin: 40, weightKg: 70 },
      startOverrides: [{ code: 'BASELINE_BP_HIGH', reason: 'anxious on arrival; repeat 10 min', by: a.anesthesiologist.id }],
    });
    const log = await t.runtime.dataSource.query(
      `SELECT dose_mg, lot_number, route, administered_by FROM dose_administrations WHERE session_id = $1`,
      [s.id],
    );
    expect(log).toEqual([{ dose_mg: '35.0', lot_number: 'LOT-2026-11', route: 'iv', administered_by: a.anesthesiologist.id }]);

    const normal = await post(`/sessions/${s.id}/vitals`, nurse, vitals({ systolic: 148, diastolic: 92 })).expect(201);
    expect(normal.body.alerts).toEqual([]);
    const spike = await post(`/sessions/${s.id}/vitals`, nurse, vitals({ systolic: 185, diastolic: 100, heartRate: 96 })).expect(201);
    expect(spike.body.reading.breachLevel).toBe('critical');
    const critical = spike.body.alerts.find((x: { level: string }) => x.level === 'critical');
    expect(critical).toMatchObject({ measure: 'blood-pressure', status: 'open' });
    const raised = await stream.waitFor((e) => e.event === 'raised' && e.data['id'] === critical.id);
    expect(raised.data).toMatchObject({ level: 'critical', measure: 'blood-pressure', sessionId: s.id });

    // A second breach attaches to the open alert instead of a new one.
    const again = await post(`/sessions/${s.id}/vitals`, nurse, vitals({ systolic: 182, diastolic: 90 })).expect(201);
    expect(again.body.alerts).toEqual([expect.objectContaining({ id: critical.id, readingCount: 2 })]);

    const refused = await post(`/alerts/${critical.id}/acknowledge`, nurse).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const acked = await post(`/alerts/${critical.id}/acknowledge`, doc).expect(200);
    expect(acked.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: a.anesthesiologist.id });
    await stream.waitFor((e) => e.event === 'acknowledged' && e.data['id'] === critical.id);
    await post(`/alerts/${critical.id}/resolve`, nurse, { note: 'x' }).expect(403);
    const resolved = await post(`/alerts/${critical.id}/resolve`, doc, { note: 'labetalol 10 mg IV; rate halved' }).expect(200);
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolvedBy: a.anesthesiologist.id,
      resolutionNote: 'labetalol 10 mg IV; rate halved',
    });
    await stream.waitFor((e) => e.event === 'resolved' && e.data['id'] === critical.id);
    stream.close();

    // One blood-pressure alert for that reading, carrying both values: no second (diastolic) alert to handle.
    expect(spike.body.alerts).toHaveLength(1);
    expect(critical.message).toContain('185/100');

    await post(`/sessions/${s.id}/rate`, nurse, { rateMlPerH: 26.3, reason: 'BP rise: half rate' }).expect(200);
    await post(`/sessions/${s.id}/pause`, nurse, { reason: 'patient asked for a break' }).expect(200);
    await post(`/sessions/${s.id}/pause`, nurse, { reason: 'again' }).expect(409);
    await post(`/sessions/${s.id}/resume`, nurse).expect(200);
    const noReason = await post(`/sessions/${s.id}/end-dosing`, nurse).expect(400);
    expect(noReason.body.details[0].field).toBe('reason');
    const ended = await post(`/sessions/${s.id}/end-dosing`, nurse, { reason: 'stopped early for blood pressure' }).expect(200);
    expect(ended.body.status).toBe('observation');
    expect(ended.body.observationFrom).toBe(ended.body.dosingEndedAt);

    const detail = await t.http.get(`${api}/sessions/${s.id}`).set(bearer(doc)).expect(200);
    const kinds = detail.body.timeline.filter((e: { kind: string }) => e.kind === 'event').map((e: { type: string }) => e.type);
    expect(kinds).toEqual(['create', 'check-in', 'pre-checks', 'start', 'rate-change', 'pause', 'resume', 'end-dosing']);
    const times = detail.body.timeline.map((e: { at: string }) => e.at);
    expect([...times].sort()).toEqual(times);
    expect(detail.body.timeline.filter((e: { kind: string }) => e.kind === 'vitals')).toHaveLength(4);
    const trail = await t.runtime.dataSource.getRepository(AuditEvent).findBy({ resourceId: s.id, resourceType: 'session' });
    expect(trail.map((x) => x.action)).toEqual(
      expect.arrayContaining([
        'session.create',
        'session.check-in',
        'session.pre-checks',
        'session.start',
        'session.pause',
        'session.resume',
        'session.end-dosing',
        'session.read',
      ]),
    );
  });

  it('lists every unmet rule at once and refuses overrides of hard stops', async () => {
    const patient = await t.http
      .post(`${api}/patients`)
      .set(bearer(a.token.nurse))
      .send({ mrn: `GATE-${Date.now()}`, firstName: 'Gil', lastName: 'Gate', dateOfBirth: '1975-02-02', weightKg: 80, sex: 'male' })
      .expect(201);
    await t.http
      .put(`${api}/patients/${patient.body.id}/contraindications`)
      .set(bearer(a.token.nurse))
      .send({
        answers: [
          { item: 'ketamine-hypersensitivity', present: true },
          { item: 'substance-use-disorder', present: true },
        ],
      })
      .expect(200);
    const s = (await post('/sessions', a.token.nurse, { patientId: patient.body.id, protocol: 'ketamine-iv-standard' }).expect(201))
      .body as { id: string };
    await post(`/sessions/${s.id}/check-in`, a.token.nurse).expect(200);
    await post(`/sessions/${s.id}/pre-checks`, a.token.nurse, { transportHome: 'none', cssrsScreener: 'high-risk' }).expect(200);
    const res = await post(`/sessions/${s.id}/start`, a.token.anesthesiologist, {
      ...startBody,
      doseMgPerKg: 1.2,
      overrides: [{ code: 'CONSENT_MISSING', reason: 'try' }],
    }).expect(422);
    expect(res.body.details.map((d: { code: string }) => d.code)).toEqual([
      'CONSENT_MISSING',
      'CONTRAINDICATION',
      'RELATIVE_CAUTION',
      'BASELINE_VITALS_MISSING',
      'ESCORT_NOT_CONFIRMED',
      'CSSRS_HIGH_RISK',
      'DOSE_ABOVE_MAX',
    ]);
    expect(res.body.details.find((d: { code: string }) => d.code === 'CONSENT_MISSING').overridable).toBe(false);
    const after = await t.http.get(`${api}/sessions/${s.id}`).set(bearer(a.token.nurse)).expect(200);
    expect(after.body.status).toBe('ready');
  });

  it('starting a session only checked in answers what is missing, as the gate does, and leaves it checked in', async () => {
    const id = await sessionAt(t.http, a, 'checked_in');
    const res = await post(`/sessions/${id}/start`, a.token.nurse, startBody).expect(422);
    expect(res.body.code).toBe('BASELINE_VITALS_MISSING');
    expect(res.body.details.map((d: { code: string }) => d.code)).toEqual(['BASELINE_VITALS_MISSING', 'PRE_CHECKS_MISSING']);
    const after = await t.http.get(`${api}/sessions/${id}`).set(bearer(a.token.nurse)).expect(200);
    expect(after.body.status).toBe('checked_in');
    const dosed = await post(`/sessions/${await sessionAt(t.http, a, 'dosing')}/start`, a.token.nurse, startBody).expect(409);
    expect(dosed.body.code).toBe('INVALID_TRANSITION');
  });

  it('two nurses pressing start at once: exactly one success and one 409', async () => {
    const id = await readySession(t.http, a);
    const results = await Promise.all([
      post(`/sessions/${id}/start`, a.token.nurse, startBody),
      post(`/sessions/${id}/start`, a.token.anesthesiologist, startBody),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toBe('INVALID_TRANSITION');
    const log = await t.runtime.dataSource.query(`SELECT count(*)::int AS n FROM dose_administrations WHERE session_id = $1`, [id]);
    expect(log[0].n).toBe(1);
  });

  it('charting late: up to 15 minutes back and never before the previous event', async () => {
    const patientId = await consentedPatient(t.http, a);
    const s = (await post('/sessions', a.token.nurse, { patientId, protocol: 'ketamine-iv-standard' }).expect(201)).body as { id: string };
    // The session was booked half an hour ago.
    await t.runtime.dataSource.query(`UPDATE sessions SET last_event_at = now() - interval '30 minutes' WHERE id = $1`, [s.id]);
    const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
    const tooOld = await post(`/sessions/${s.id}/check-in`, a.token.nurse, { occurredAt: ago(20) }).expect(400);
    expect(tooOld.body.details[0]).toMatchObject({ field: 'occurredAt', message: 'may be at most 15 minutes in the past' });
    await post(`/sessions/${s.id}/check-in`, a.token.nurse, { occurredAt: ago(-10) }).expect(400);
    const late = await post(`/sessions/${s.id}/check-in`, a.token.nurse, { occurredAt: ago(10) }).expect(200);
    expect(new Date(late.body.checkedInAt).getTime()).toBeLessThan(Date.now() - 9 * 60_000);
    const beforePrevious = await post(`/sessions/${s.id}/pre-checks`, a.token.nurse, {
      occurredAt: ago(12),
      transportHome: 'escort',
      cssrsScreener: 'negative',
    }).expect(400);
    expect(beforePrevious.body.details[0].message).toMatch(/before the previous event/);
  });

  it('refuses implausible readings with 400 naming the field and stores nothing, single or batch', async () => {
    const id = await readySession(t.http, a);
    const count = async () =>
      (await t.runtime.dataSource.query(`SELECT count(*)::int AS n FROM vital_readings WHERE session_id = $1`, [id]))[0].n as number;
    const before = await count();
    for (const [body, field] of [
      [vitals({ systolic: 400 }), 'systolic'],
      [vitals({ systolic: 80, diastolic: 90 }), 'systolic'],
      [vitals({ spo2: 101 }), 'spo2'],
      [vitals({ heartRate: 10 }), 'heartRate'],
      [vitals({ moaas: 6 }), 'moaas'],
      [vitals({ measuredAt: new Date(Date.now() + 10 * 60_000).toISOString() }), 'measuredAt'],
      [vitals({ source: 'device' }), 'deviceId'],
      [vitals({ systolic: '120' }), 'systolic'],
    ] as const) {
      const res = await post(`/sessions/${id}/vitals`, a.token.nurse, body).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const batch = await post(`/sessions/${id}/vitals/batch`, a.token.nurse, { readings: [vitals(), vitals({ systolic: 30 })] }).expect(400);
    expect(batch.body.details[0].field).toBe('readings[1].systolic');
    expect(await count()).toBe(before);
  });

  it('a resent device reading and a repeated Idempotency-Key are stored once', async () => {
    const id = await readySession(t.http, a);
    await post(`/sessions/${id}/start`, a.token.nurse, startBody).expect(200);
    const reading = vitals({ source: 'device', deviceId: 'monitor-7', measuredAt: new Date(Date.now() - 1000).toISOString() });
    const first = await post(`/sessions/${id}/vitals`, a.token.nurse, reading).expect(201);
    const second = await post(`/sessions/${id}/vitals`, a.token.nurse, reading).expect(201);
    expect(second.body.reading).toMatchObject({ id: first.body.reading.id, duplicate: true });
    const batch = await post(`/sessions/${id}/vitals/batch`, a.token.nurse, {
      readings: [reading, vitals({ source: 'device', deviceId: 'monitor-7' })],
    }).expect(201);
    expect(batch.body.readings.map((r: { duplicate: boolean }) => r.duplicate)).toEqual([true, false]);

    const manual = vitals({ systolic: 131 });
    const keyed = () =>
      t.http.post(`${api}/sessions/${id}/vitals`).set(bearer(a.token.nurse)).set('Idempotency-Key', `k-${id}`).send(manual);
    const one = await keyed().expect(201);
    const two = await keyed().expect(201);
    expect(two.body.reading.id).toBe(one.body.reading.id);
    expect(two.headers['idempotent-replayed']).toBe('true');
    const other = await t.http
      .post(`${api}/sessions/${id}/vitals`)
      .set(bearer(a.token.nurse))
      .set('Idempotency-Key', `k-${id}`)
      .send(vitals({ systolic: 132 }))
      .expect(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const rows = await t.runtime.dataSource.query(`SELECT count(*)::int AS n FROM vital_readings WHERE session_id = $1`, [id]);
    expect(rows[0].n).toBe(4);
  });

  it('device warnings wait for a second consecutive reading; crisis symptoms raise a critical emergency at once', async () => {
    const id = await readySession(t.http, a);
    await post(`/sessions/${id}/start`, a.token.nurse, startBody).expect(200);
    const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
    // Both readings after the start of dosing (measurement times may run up to 2 min ahead of the server).
    const one = await post(
      `/sessions/${id}/vitals`,
      a.token.nurse,
      vitals({ source: 'device', deviceId: 'm1', systolic: 165, measuredAt: at(0) }),
    ).expect(201);
    expect(one.body.reading.breachLevel).toBe('warning');
    expect(one.body.alerts).toEqual([]);
    const two = await post(
      `/sessions/${id}/vitals`,
      a.token.nurse,
      vitals({ source: 'device', deviceId: 'm1', systolic: 166, measuredAt: at(-60_000) }),
    ).expect(201);
    expect(two.body.alerts).toEqual([expect.objectContaining({ measure: 'blood-pressure', level: 'warning' })]);
    const emergency = await post(`/sessions/${id}/emergency`, a.token.nurse, { symptoms: ['chest-pain'], note: 'crushing' }).expect(201);
    expect(emergency.body).toMatchObject({ measure: 'emergency', level: 'critical', status: 'open' });
    await post(`/sessions/${id}/emergency`, a.token.nurse, { symptoms: ['hiccups'] }).expect(400);
  });

  it('the board shows every active session with latest vitals and open alerts, in the same number of queries however many there are', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    const countQueries = async () => {
      const logger = t.runtime.dataSource.logger;
      const original = logger.logQuery.bind(logger);
      let n = 0;
      logger.logQuery = (...args: Parameters<typeof original>) => {
        // The caller's role and active flag are kept for a second between requests, and identical reads
        // of a minute share one audit row: neither is the board's cost.
        if (!/FROM users (u )?WHERE (u\.)?id/.test(args[0]) && !args[0].includes('audit_events')) n += 1;
        return original(...args);
      };
      try {
        const res = await t.http.get(`${api}/sessions/board`).set(bearer(staff.token.anesthesiologist)).expect(200);
        return {
          n,
          body: res.body as {
            sessionId: string;
            latestVitals: { systolic: number } | null;
            openAlerts: unknown[];
            observation: { minimumMin: number };
          }[],
        };
      } finally {
        logger.logQuery = original;
      }
    };
    const first = await readySession(t.http, staff);
    await post(`/sessions/${first}/start`, staff.token.nurse, startBody).expect(200);
    await post(`/sessions/${first}/vitals`, staff.token.nurse, vitals({ systolic: 181 })).expect(201);
    const few = await countQueries();
    for (let i = 0; i < 4; i++) await readySession(t.http, staff);
    const many = await countQueries();
    expect(many.body).toHaveLength(5);
    expect(many.n).toBe(few.n);
    const entry = many.body.find((e) => e.sessionId === first)!;
    expect(entry.latestVitals?.systolic).toBe(181);
    expect(entry.openAlerts).toHaveLength(1);
    expect(entry.observation.minimumMin).toBe(30);
  });

  it('another clinic’s session and alerts answer 404; admins are refused (403)', async () => {
    const id = await readySession(t.http, b);
    await t.http.get(`${api}/sessions/${id}`).set(bearer(a.token.nurse)).expect(404);
    await post(`/sessions/${id}/start`, a.token.anesthesiologist, startBody).expect(404);
    await post(`/sessions/${id}/vitals`, a.token.nurse, vitals()).expect(404);
    await t.http.get(`${api}/sessions/${id}`).set(bearer(b.token.admin)).expect(403);
    const board = await t.http.get(`${api}/sessions/board`).set(bearer(a.token.nurse)).expect(200);
    expect(board.body.map((e: { sessionId: string }) => e.sessionId)).not.toContain(id);
    const notes = await t.runtime.dataSource.getRepository(Notification).countBy({ clinicId: a.clinic.id });
    expect(notes).toBeGreaterThanOrEqual(0);
  });

  describe('lists answer pages', () => {
    const get = (path: string, token: string) => t.http.get(`${api}${path}`).set(bearer(token));
    /** Every page of `path` (which already has a `?`), following nextCursor; `limit` per page. */
    const allPages = async (path: string, token: string, limit: number) => {
      const pages: { items: { id: string }[]; nextCursor: string | null }[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await get(
          `${path}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          token,
        ).expect(200);
        pages.push(res.body);
        cursor = res.body.nextCursor;
      } while (cursor);
      return pages;
    };
    const badPaging = async (path: string, token: string, maxLimit: number) => {
      for (const limit of [0, maxLimit + 1, 'ten']) {
        const res = await get(`${path}${path.includes('?') ? '&' : '?'}limit=${limit}`, token).expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain('limit');
      }
      const res = await get(`${path}${path.includes('?') ? '&' : '?'}cursor=not-a-cursor`, token).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'cursor' })]);
      await get(`${path}${path.includes('?') ? '&' : '?'}limit=${maxLimit}`, token).expect(200);
    };

    it('GET /sessions: newest first, 50 a page unless limit says (at most 200), the cursor continuing without gaps or repeats', async () => {
      const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
      const patient = await createPatient(t.http, staff.token.nurse);
      const created: string[] = [];
      for (let i = 0; i < 53; i++)
        created.push(
          (await post('/sessions', staff.token.nurse, { patientId: patient.id, protocol: 'ketamine-iv-standard' }).expect(201)).body.id,
        );
      const first = await get('/sessions', staff.token.nurse).expect(200);
      expect(first.body.items).toHaveLength(50);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const pages = await allPages(`/sessions?patientId=${patient.id}`, staff.token.nurse, 20);
      expect(pages.map((p) => p.items.length)).toEqual([20, 20, 13]);
      expect(pages.flatMap((p) => p.items.map((x) => x.id))).toEqual([...created].reverse());
      await badPaging('/sessions', staff.token.nurse, 200);
    });

    it('GET /sessions/:id/vitals: oldest first, 200 a page unless limit says (at most 1000); the session detail carries the latest 100', async () => {
      const id = await sessionAt(t.http, a, 'checked_in');
      const start = Date.now() - 45 * 60_000;
      const readings = Array.from({ length: 250 }, (_, i) => vitals({ measuredAt: new Date(start + i * 10_000).toISOString() }));
      await post(`/sessions/${id}/vitals/batch`, a.token.nurse, { readings }).expect(201);
      const first = await get(`/sessions/${id}/vitals`, a.token.nurse).expect(200);
      expect(first.body.items).toHaveLength(200);
      const pages = await allPages(`/sessions/${id}/vitals?`, a.token.nurse, 100);
      expect(pages.map((p) => p.items.length)).toEqual([100, 100, 50]);
      const all = pages.flatMap((p) => p.items) as unknown as { id: string; measuredAt: string }[];
      expect(new Set(all.map((r) => r.id)).size).toBe(250);
      expect(all.map((r) => r.measuredAt)).toEqual(readings.map((r) => new Date(r.measuredAt).toISOString()));
      await badPaging(`/sessions/${id}/vitals`, a.token.nurse, 1000);
      await get(`/sessions/${id}/vitals`, b.token.nurse).expect(404);

      const detail = await get(`/sessions/${id}`, a.token.nurse).expect(200);
      const shown = (detail.body.timeline as { kind: string; data: { id: string } }[]).filter((e) => e.kind === 'vitals');
      expect(detail.body.readingsTruncated).toBe(true);
      expect(shown.map((e) => e.data.id)).toEqual(all.slice(-100).map((r) => r.id));
      const few = await sessionAt(t.http, a, 'ready');
      expect((await get(`/sessions/${few}`, a.token.nurse).expect(200)).body.readingsTruncated).toBe(false);
    });

    it('GET /patients/:id/assessments: oldest first, 50 a page unless limit says (at most 200)', async () => {
      const patient = await createPatient(t.http, a.token.nurse);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++)
        ids.push(
          (
            await post(`/patients/${patient.id}/assessments`, a.token.nurse, {
              instrument: 'GAD7',
              items: [1, 1, 1, 1, 1, 0, i % 4],
              administeredAt: new Date(Date.now() - (5 - i) * 60_000).toISOString(),
            }).expect(201)
          ).body.id,
        );
      expect((await get(`/patients/${patient.id}/assessments`, a.token.nurse).expect(200)).body).toEqual({
        items: expect.any(Array),
        nextCursor: null,
      });
      const pages = await allPages(`/patients/${patient.id}/assessments?`, a.token.nurse, 2);
      expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
      expect(pages.flatMap((p) => p.items.map((x) => x.id))).toEqual(ids);
      await badPaging(`/patients/${patient.id}/assessments`, a.token.nurse, 200);
    });
  });

  it('a suicide risk found in the clinic alerts the session; an assessment naming another patient’s session is refused (400 sessionId)', async () => {
    const patientId = await consentedPatient(t.http, a);
    const id = await sessionAt(t.http, a, 'checked_in', { patientId });
    const phq9 = { instrument: 'PHQ9', items: [1, 1, 1, 1, 0, 0, 0, 0, 2], administeredAt: new Date().toISOString() };
    const res = await post(`/patients/${patientId}/assessments`, a.token.nurse, { ...phq9, sessionId: id }).expect(201);
    expect(res.body).toMatchObject({ sessionId: id, flags: ['suicide-risk'] });
    const alerts = await t.http.get(`${api}/alerts?sessionId=${id}`).set(bearer(a.token.nurse)).expect(200);
    expect(alerts.body.items).toEqual([
      expect.objectContaining({ measure: 'suicide-risk', level: 'warning', message: 'PHQ-9 item 9 answered 2: suicide risk' }),
    ]);
    // Found in the clinic or not, a positive item 9 is also an anesthesiologist's review task.
    const tasks = await t.runtime.dataSource.query(`SELECT kind, assignee_role FROM follow_ups WHERE subject_id = $1`, [res.body.id]);
    expect(tasks).toEqual([{ kind: 'suicide-risk-review', assignee_role: 'anesthesiologist' }]);

    const other = await createPatient(t.http, a.token.nurse);
    const refused = await post(`/patients/${other.id}/assessments`, a.token.nurse, { ...phq9, sessionId: id }).expect(400);
    expect(refused.body.details).toEqual([{ field: 'sessionId', message: 'no session of this patient has this id' }]);
    const stored = await t.http.get(`${api}/patients/${other.id}/assessments`).set(bearer(a.token.nurse)).expect(200);
    expect(stored.body.items).toEqual([]);
  });

  it('the "vitals overdue" check follows the session: due from the start, the end of dosing and an abort', async () => {
    const due = async (sessionId: string) =>
      (
        await t.runtime.dataSource.query<{ due_at: Date }[]>(
          `SELECT due_at FROM pending_work WHERE subject_id = $1 AND kind = 'vitals-overdue' AND status = 'pending'`,
          [sessionId],
        )
      ).map((r) => r.due_at.getTime());
    /** Runs `move` and expects the check due `minutes` after it. */
    const dueAfter = async (sessionId: string, minutes: number, move: () => Promise<unknown>) => {
      const before = Date.now();
      await move();
      const [at] = await due(sessionId);
      expect(at).toBeGreaterThanOrEqual(before + minutes * 60_000 - 1);
      expect(at).toBeLessThanOrEqual(Date.now() + minutes * 60_000);
    };
    const id = await readySession(t.http, a);
    // IV: a reading every 10 min while dosing, overdue 5 min later; in observation every 15 min.
    await dueAfter(id, 15, () => post(`/sessions/${id}/start`, a.token.nurse, startBody).expect(200));
    await dueAfter(id, 20, () => post(`/sessions/${id}/end-dosing`, a.token.nurse, { reason: 'nausea' }).expect(200));
    const aborted = await sessionAt(t.http, a, 'dosing');
    await dueAfter(aborted, 20, () => post(`/sessions/${aborted}/abort`, a.token.nurse, { reason: 'hypertension' }).expect(200));
  });
});
