import { AuditEvent, Notification } from '../libs/platform/src/index.js';
import { ConsentService } from '../libs/clinic/src/index.js';
import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { expectPagingRefusals, walkPages } from './support/paging.js';

describe('consent: versioned forms, signatures, computed status, withdrawal', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  const clock = new MovableClock();
  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    b = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());
  afterEach(() => clock.reset());

  const form = async (staff: Staff, extra: Record<string, unknown> = {}) =>
    (
      await t.http
        .post('/api/v1/consent-forms')
        .set(bearer(staff.token.admin))
        .send({
          kind: 'ketamine-off-label',
          title: 'Off-label ketamine',
          body: 'Risks, right to withdraw, no driving until the next day.',
          ...extra,
        })
        .expect(201)
    ).body as { id: string; version: number; kind: string };

  const sign = (staff: Staff, patientId: string, formId: string, extra: Record<string, unknown> = {}) =>
    t.http
      .post(`/api/v1/patients/${patientId}/consents`)
      .set(bearer(staff.token.nurse))
      .send({ formId, signedAt: clock.now().toISOString(), signedByName: 'Ana Souza', method: 'in-person', ...extra });

  const active = (clinicId: string, patientId: string, kind: 'ketamine-off-label' | 'esketamine-rems-enrollment') =>
    t.app.get(ConsentService).activeConsent(t.runtime.dataSource.manager, clinicId, patientId, kind, clock.now());

  it('forms are versioned per kind; only admins write them; a published version is immutable', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    const v1 = await form(staff);
    const v2 = await form(staff, { validMonths: 6 });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    await t.http
      .post('/api/v1/consent-forms')
      .set(bearer(staff.token.nurse))
      .send({ kind: 'general-procedure', title: 't', body: 'b' })
      .expect(403);
    const edit = await t.http
      .patch(`/api/v1/consent-forms/${v1.id}`)
      .set(bearer(staff.token.admin))
      .send({ title: 'changed', revision: 1 })
      .expect(409);
    expect(edit.body.code).toBe('FORM_PUBLISHED');
    // The database refuses it too, whatever the code path.
    await expect(t.runtime.dataSource.query(`UPDATE consent_forms SET body = 'x' WHERE id = $1`, [v1.id])).rejects.toThrow(/immutable/);
    const draft = await form(staff, { publish: false });
    await t.http
      .patch(`/api/v1/consent-forms/${draft.id}`)
      .set(bearer(staff.token.admin))
      .send({ title: 'Reviewed title', revision: 1 })
      .expect(200);
    const published = await t.http.post(`/api/v1/consent-forms/${draft.id}/publish`).set(bearer(staff.token.admin)).expect(200);
    expect(published.body).toMatchObject({ status: 'published', title: 'Reviewed title', version: 3 });
    const list = await t.http.get('/api/v1/consent-forms?kind=ketamine-off-label').set(bearer(staff.token.nurse)).expect(200);
    expect(list.body.items.map((f: { version: number }) => f.version)).toEqual([3, 2, 1]);
  });

  it('a form requires only protocols the clinic has (400 naming each unknown one), on creation and on a draft’s edit', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    const send = (body: object) =>
      t.http
        .post('/api/v1/consent-forms')
        .set(bearer(staff.token.admin))
        .send({ kind: 'ketamine-off-label', title: 't', body: 'b', ...body });
    const refused = await send({ requiredForProtocols: ['ketamine-iv-standard', 'ketamine-iv-standrd'] }).expect(400);
    expect(refused.body.details).toEqual([
      { field: 'requiredForProtocols[1]', message: 'no protocol "ketamine-iv-standrd" in this clinic' },
    ]);
    const draft = await send({ requiredForProtocols: ['ketamine-iv-standard'], publish: false }).expect(201);
    await t.http
      .patch(`/api/v1/consent-forms/${draft.body.id}`)
      .set(bearer(staff.token.admin))
      .send({ requiredForProtocols: ['nope'], revision: 1 })
      .expect(400);
  });

  it('pages the forms by kind, newest version first, and a patient’s consents newest signature first', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    for (let i = 0; i < 3; i++) await form(staff);
    for (let i = 0; i < 2; i++) await form(staff, { kind: 'general-procedure' });
    const forms = await walkPages<{ id: string; kind: string; version: number }>(t.http, '/api/v1/consent-forms', staff.token.nurse, 2);
    expect(forms.map((f) => `${f.kind} ${f.version}`)).toEqual([
      'general-procedure 2',
      'general-procedure 1',
      'ketamine-off-label 3',
      'ketamine-off-label 2',
      'ketamine-off-label 1',
    ]);
    const offLabel = await walkPages<{ version: number }>(t.http, '/api/v1/consent-forms?kind=ketamine-off-label', staff.token.nurse, 1);
    expect(offLabel.map((f) => f.version)).toEqual([3, 2, 1]);
    await expectPagingRefusals(t.http, '/api/v1/consent-forms', staff.token.nurse);

    const p = await createPatient(t.http, staff.token.nurse);
    const latest = forms[2].id;
    clock.advanceDays(1); // signed in the day after the forms were published
    const signed: string[] = [];
    for (let i = 0; i < 5; i++) {
      signed.unshift(
        (await sign(staff, p.id, latest, { signedAt: new Date(clock.now().getTime() - (10 - i) * 60_000).toISOString() }).expect(201)).body
          .id,
      );
    }
    const url = `/api/v1/patients/${p.id}/consents`;
    expect((await walkPages<{ id: string }>(t.http, url, staff.token.nurse, 2)).map((c) => c.id)).toEqual(signed);
    const all = await t.http.get(url).set(bearer(staff.token.nurse)).expect(200);
    expect(all.body).toMatchObject({ nextCursor: null });
    expect(all.body.items.map((c: { id: string }) => c.id)).toEqual(signed);
    await expectPagingRefusals(t.http, url, staff.token.nurse);
  });

  it('records a signature on the exact version, then it expires (clock moved 13 months) and is re-signed', async () => {
    const f = await form(a);
    const p = await createPatient(t.http, a.token.nurse);
    const signed = await sign(a, p.id, f.id).expect(201);
    expect(signed.body).toMatchObject({
      status: 'active',
      formVersion: f.version,
      witnessUserId: a.nurse.id,
      signedByName: 'Ana Souza',
      method: 'in-person',
    });
    expect((await active(a.clinic.id, p.id, 'ketamine-off-label'))?.id).toBe(signed.body.id);

    clock.advanceDays(396);
    const expired = await t.http.get(`/api/v1/patients/${p.id}/consents`).set(bearer(a.token.nurse)).expect(200);
    expect(expired.body.items.map((c: { status: string }) => c.status)).toEqual(['expired']);
    expect(await active(a.clinic.id, p.id, 'ketamine-off-label')).toBeNull();

    const again = await sign(a, p.id, f.id, { method: 'electronic' }).expect(201);
    expect(again.body.status).toBe('active');
    const both = await t.http.get(`/api/v1/patients/${p.id}/consents`).set(bearer(a.token.nurse)).expect(200);
    expect(both.body.items.map((c: { status: string }) => c.status)).toEqual(['active', 'expired']);
    expect((await active(a.clinic.id, p.id, 'ketamine-off-label'))?.id).toBe(again.body.id);
  });

  it('a new version that requires re-consent supersedes older signatures at once', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    const v1 = await form(staff);
    const p = await createPatient(t.http, staff.token.nurse);
    await sign(staff, p.id, v1.id).expect(201);
    await form(staff, { requiresReconsent: true });
    const list = await t.http.get(`/api/v1/patients/${p.id}/consents`).set(bearer(staff.token.nurse)).expect(200);
    expect(list.body.items[0].status).toBe('superseded');
    expect(await active(staff.clinic.id, p.id, 'ketamine-off-label')).toBeNull();
    const stale = await sign(staff, p.id, v1.id).expect(422);
    expect(stale.body.details[0]).toMatchObject({ code: 'FORM_SUPERSEDED', overridable: false });
  });

  it('the REMS enrollment needs the prescriber, an anesthesiologist of the clinic, to sign too', async () => {
    const rems = await form(a, { kind: 'esketamine-rems-enrollment', title: 'Spravato REMS enrollment' });
    const p = await createPatient(t.http, a.token.nurse);
    const missing = await sign(a, p.id, rems.id).expect(400);
    expect(missing.body.details[0].field).toBe('prescriberUserId');
    const notAnesthesiologist = await sign(a, p.id, rems.id, { prescriberUserId: a.nurse.id }).expect(400);
    expect(notAnesthesiologist.body.details[0]).toMatchObject({ field: 'prescriberUserId', message: 'must be an anesthesiologist' });
    await sign(a, p.id, rems.id, { prescriberUserId: b.anesthesiologist.id }).expect(400);
    const ok = await sign(a, p.id, rems.id, { prescriberUserId: a.anesthesiologist.id }).expect(201);
    expect(ok.body).toMatchObject({ kind: 'esketamine-rems-enrollment', prescriberUserId: a.anesthesiologist.id, status: 'active' });
    expect((await active(a.clinic.id, p.id, 'esketamine-rems-enrollment'))?.id).toBe(ok.body.id);
  });

  it.each([
    [{ signedAt: '2999-01-01T00:00:00Z' }, 'signedAt'],
    [{ signedAt: '2026-13-01T00:00:00Z' }, 'signedAt'],
    [{ signedAt: '2026-01-01T00:00:00' }, 'signedAt'],
    [{ method: 'fax' }, 'method'],
    [{ signedByName: '' }, 'signedByName'],
    [{ formId: 'not-a-uuid' }, 'formId'],
    [{ witnessUserId: '00000000-0000-4000-8000-000000000000' }, 'witnessUserId'],
  ])('refuses %p with 400 naming %s and records nothing', async (extra, field) => {
    const f = await form(a);
    const p = await createPatient(t.http, a.token.nurse);
    const res = await sign(a, p.id, f.id, extra).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    const list = await t.http.get(`/api/v1/patients/${p.id}/consents`).set(bearer(a.token.nurse)).expect(200);
    expect(list.body).toEqual({ items: [], nextCursor: null });
  });

  it('withdrawal is immediate and audited, keeps the record, and tells the administrators', async () => {
    const f = await form(a);
    const p = await createPatient(t.http, a.token.nurse);
    const c = (await sign(a, p.id, f.id).expect(201)).body as { id: string };
    const res = await t.http
      .post(`/api/v1/patients/${p.id}/consents/${c.id}/withdraw`)
      .set(bearer(a.token.anesthesiologist))
      .send({ reason: 'patient changed their mind' })
      .expect(200);
    expect(res.body).toMatchObject({
      status: 'withdrawn',
      withdrawnBy: a.anesthesiologist.id,
      withdrawalReason: 'patient changed their mind',
    });
    expect(await active(a.clinic.id, p.id, 'ketamine-off-label')).toBeNull();
    const again = await t.http
      .post(`/api/v1/patients/${p.id}/consents/${c.id}/withdraw`)
      .set(bearer(a.token.nurse))
      .send({ reason: 'x' })
      .expect(409);
    expect(again.body.code).toBe('ALREADY_WITHDRAWN');

    const list = await t.http.get(`/api/v1/patients/${p.id}/consents`).set(bearer(a.token.admin)).expect(200);
    expect(list.body.items).toHaveLength(1);
    const tasks = await t.http.get('/api/v1/follow-ups?status=due').set(bearer(a.token.admin)).expect(200);
    const task = tasks.body.items.find((x: { subjectId: string }) => x.subjectId === c.id);
    expect(task).toMatchObject({ kind: 'consent-withdrawn', assigneeRole: 'admin', patientId: p.id, status: 'due' });
    // One email per administrator, from the follow-up, with the reason.
    const mail = await t.runtime.dataSource.getRepository(Notification).findBy({ recipientUserId: a.admin.id });
    expect(mail.filter((n) => n.body.includes(task.id))).toHaveLength(1);
    expect(task.title).toContain('patient changed their mind');
    await t.http
      .post(`/api/v1/follow-ups/${task.id}/complete`)
      .set(bearer(a.token.admin))
      .send({ note: 'cancelled the next three visits' })
      .expect(200);
    const trail = await t.runtime.dataSource.getRepository(AuditEvent).findOneByOrFail({ action: 'consent.withdraw', resourceId: p.id });
    expect(trail.changes).toMatchObject({ consentId: c.id, reason: 'patient changed their mind', followUpId: task.id });
    // The database keeps signatures: no edit, no delete.
    await expect(t.runtime.dataSource.query(`DELETE FROM patient_consents WHERE id = $1`, [c.id])).rejects.toThrow(
      /never changed or deleted/,
    );
  });

  it('an admin may read consents but not record or withdraw them', async () => {
    const f = await form(a);
    const p = await createPatient(t.http, a.token.nurse);
    await t.http
      .post(`/api/v1/patients/${p.id}/consents`)
      .set(bearer(a.token.admin))
      .send({ formId: f.id, signedAt: new Date().toISOString(), signedByName: 'A', method: 'in-person' })
      .expect(403);
    await t.http.get(`/api/v1/patients/${p.id}/consents`).set(bearer(a.token.admin)).expect(200);
  });

  it("another clinic's forms and consents answer 404", async () => {
    const f = await form(b);
    const p = await createPatient(t.http, b.token.nurse);
    const c = (await sign(b, p.id, f.id).expect(201)).body as { id: string };
    await t.http.get(`/api/v1/consent-forms/${f.id}`).set(bearer(a.token.admin)).expect(404);
    await t.http.post(`/api/v1/consent-forms/${f.id}/publish`).set(bearer(a.token.admin)).expect(404);
    await t.http.get(`/api/v1/patients/${p.id}/consents`).set(bearer(a.token.nurse)).expect(404);
    await t.http.post(`/api/v1/patients/${p.id}/consents/${c.id}/withdraw`).set(bearer(a.token.nurse)).send({ reason: 'x' }).expect(404);
    const mine = await createPatient(t.http, a.token.nurse);
    const foreignForm = await sign(a, mine.id, f.id).expect(400);
    expect(foreignForm.body.details[0].field).toBe('formId');
    await t.http.post(`/api/v1/patients/${mine.id}/consents/${c.id}/withdraw`).set(bearer(a.token.nurse)).send({ reason: 'x' }).expect(404);
  });
});
