import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { expectPagingRefusals, walkPages } from './support/paging.js';
import { randomEui64 } from './support/route-fixtures.js';

const api = '/api/v1';

interface MonitorBody {
  id: string;
  name: string;
  chairId: string;
  eui64: string | null;
  location: string | null;
  active: boolean;
  version: number;
}

describe('bedside monitors: registered by administrators, read by clinical staff', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  let chairA: string;
  let chairA2: string;
  let chairB: string;
  beforeAll(async () => {
    t = await startTestApp();
    [a, b] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
    chairA = (await post('/chairs', a.token.admin, { name: 'Chair 3' }).expect(201)).body.id;
    chairA2 = (await post('/chairs', a.token.admin, { name: 'Chair 4' }).expect(201)).body.id;
    chairB = (await post('/chairs', b.token.admin, { name: 'Chair 3' }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const patch = (path: string, token: string, body: object) => t.http.patch(`${api}${path}`).set(bearer(token)).send(body);
  const auditOf = (id: string) =>
    t.runtime.dataSource.query(
      `SELECT action, changes FROM audit_events WHERE resource_id = $1 AND action LIKE 'monitor.%' ORDER BY occurred_at, id`,
      [id],
    );

  it('registers a monitor with its EUI-64 and bed location as compared (upper-case, trimmed), audited; nurses read it, not write it', async () => {
    const eui = randomEui64();
    const dashed = eui.toLowerCase().replace(/(..)(?!$)/g, '$1-');
    const res = await post('/monitors', a.token.admin, {
      name: 'Chair 3 monitor',
      chairId: chairA,
      eui64: dashed,
      location: ' infusion^^chair-03^ ',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Chair 3 monitor',
      chairId: chairA,
      eui64: eui,
      location: 'INFUSION^^CHAIR-03',
      active: true,
      version: 1,
    });
    expect(await auditOf(res.body.id)).toEqual([
      { action: 'monitor.register', changes: { name: 'Chair 3 monitor', chairId: chairA, eui64: eui, location: 'INFUSION^^CHAIR-03' } },
    ]);
    await post('/monitors', a.token.nurse, { name: 'x', chairId: chairA, eui64: randomEui64() }).expect(403);
    const read = await t.http.get(`${api}/monitors/${res.body.id}`).set(bearer(a.token.nurse)).expect(200);
    expect(read.body.id).toBe(res.body.id);
    await t.http.get(`${api}/monitors/${res.body.id}`).set(bearer(b.token.nurse)).expect(404);
  });

  it('an EUI-64 names one device across Vigil; a location and a name are the clinic’s own', async () => {
    const eui = randomEui64();
    await post('/monitors', a.token.admin, { name: 'M1', chairId: chairA, eui64: eui, location: 'RECOVERY^^BAY-1' }).expect(201);
    const sameDevice = await post('/monitors', b.token.admin, { name: 'M1', chairId: chairB, eui64: eui }).expect(409);
    expect(sameDevice.body).toMatchObject({ code: 'DUPLICATE_KEY', details: [expect.objectContaining({ field: 'eui64' })] });
    const sameBed = await post('/monitors', a.token.admin, { name: 'M2', chairId: chairA2, location: 'recovery^^bay-1' }).expect(409);
    expect(sameBed.body.details).toEqual([expect.objectContaining({ field: 'location' })]);
    const sameName = await post('/monitors', a.token.admin, { name: 'M1', chairId: chairA2, eui64: randomEui64() }).expect(409);
    expect(sameName.body.details).toEqual([expect.objectContaining({ field: 'name' })]);
    await post('/monitors', b.token.admin, { name: 'M2', chairId: chairB, location: 'RECOVERY^^BAY-1' }).expect(201);
  });

  it.each([
    ['neither EUI-64 nor location', {}, 'eui64'],
    ['an EUI-64 of 15 digits', { eui64: '0009FBFFFE4A1C2' }, 'eui64'],
    ['an EUI-64 that is not hexadecimal', { eui64: '0009FBFFFE4A1CZZ' }, 'eui64'],
    ['a location with an HL7 field separator', { location: 'INFUSION|CHAIR-03' }, 'location'],
    ['a location of separators only', { location: '^^&' }, 'location'],
  ])('refuses %s (400 naming the field)', async (_name, extra, field) => {
    const res = await post('/monitors', a.token.admin, { name: 'Bad', chairId: chairA, ...extra }).expect(400);
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('refuses another clinic’s chair and a chair out of use (400 naming chairId)', async () => {
    const retired = (await post('/chairs', a.token.admin, { name: 'Old chair' }).expect(201)).body.id;
    await patch(`/chairs/${retired}`, a.token.admin, { active: false }).expect(200);
    for (const chairId of [chairB, retired]) {
      const res = await post('/monitors', a.token.admin, { name: 'Stray', chairId, eui64: randomEui64() }).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'chairId' })]);
    }
  });

  it('edits move it (audited with before and after, guarded by version); a retired monitor is kept but no longer edited', async () => {
    const eui = randomEui64();
    const m = (await post('/monitors', a.token.admin, { name: 'Mover', chairId: chairA, eui64: eui }).expect(201)).body as MonitorBody;
    const moved = await patch(`/monitors/${m.id}`, a.token.admin, { chairId: chairA2, location: 'INFUSION^^CHAIR-04', version: 1 }).expect(
      200,
    );
    expect(moved.body).toMatchObject({ chairId: chairA2, eui64: eui, location: 'INFUSION^^CHAIR-04', version: 2 });
    const stale = await patch(`/monitors/${m.id}`, a.token.admin, { name: 'Late edit', version: 1 }).expect(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    const noEui = await patch(`/monitors/${m.id}`, a.token.admin, { eui64: null }).expect(200);
    expect(noEui.body).toMatchObject({ eui64: null, location: 'INFUSION^^CHAIR-04' });
    const neither = await patch(`/monitors/${m.id}`, a.token.admin, { location: null }).expect(400);
    expect(neither.body.details).toEqual([expect.objectContaining({ field: 'eui64' })]);
    await patch(`/monitors/${m.id}`, a.token.nurse, { name: 'Nurse edit' }).expect(403);

    const retired = await post(`/monitors/${m.id}/retire`, a.token.admin, { reason: 'screen cracked' }).expect(200);
    expect(retired.body).toMatchObject({ active: false, retiredBy: a.admin.id, retireReason: 'screen cracked' });
    expect((await patch(`/monitors/${m.id}`, a.token.admin, { name: 'After' }).expect(409)).body.code).toBe('MONITOR_RETIRED');
    expect((await post(`/monitors/${m.id}/retire`, a.token.admin, { reason: 'again' }).expect(409)).body.code).toBe('MONITOR_RETIRED');
    // Its replacement may take over the bed location.
    await post('/monitors', a.token.admin, { name: 'Mover', chairId: chairA2, location: 'INFUSION^^CHAIR-04' }).expect(201);
    expect((await auditOf(m.id)).map((r: { action: string }) => r.action)).toEqual([
      'monitor.register',
      'monitor.update',
      'monitor.update',
      'monitor.retire',
    ]);
    expect((await auditOf(m.id))[1].changes).toMatchObject({ before: { chairId: chairA, location: null }, after: { chairId: chairA2 } });
  });

  it('lists the clinic’s monitors by name, a page at a time, by chair and by whether in use', async () => {
    const c = await clinicWithStaff(t.runtime.dataSource, t.http);
    const chair = (await post('/chairs', c.token.admin, { name: 'Chair 1' }).expect(201)).body.id;
    const other = (await post('/chairs', c.token.admin, { name: 'Chair 2' }).expect(201)).body.id;
    for (const name of ['E', 'C', 'A', 'D', 'B'])
      await post('/monitors', c.token.admin, { name, chairId: name === 'E' ? other : chair, eui64: randomEui64() }).expect(201);
    const all = await walkPages<MonitorBody>(t.http, `${api}/monitors`, c.token.nurse, 2);
    expect(all.map((m) => m.name)).toEqual(['A', 'B', 'C', 'D', 'E']);
    await post(`/monitors/${all[1].id}/retire`, c.token.admin, { reason: 'lost' }).expect(200);
    const inUse = await walkPages<MonitorBody>(t.http, `${api}/monitors?active=true&chairId=${chair}`, c.token.anesthesiologist, 2);
    expect(inUse.map((m) => m.name)).toEqual(['A', 'C', 'D']);
    const retired = await walkPages<MonitorBody>(t.http, `${api}/monitors?active=false`, c.token.admin, 2);
    expect(retired.map((m) => m.name)).toEqual(['B']);
    await expectPagingRefusals(t.http, `${api}/monitors`, c.token.nurse);
  });
});
