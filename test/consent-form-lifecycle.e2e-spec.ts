import { AuditEvent } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';

const api = '/api/v1';

/*
 * A consent text after publication: an administrator retires a version (no one signs it any more;
 * the signatures already on it stay valid, as clinical-rules.md §6 has only withdrawal,
 * supersession and expiry end a consent), and two administrators editing one draft do not
 * overwrite each other (`revision`, 409 STALE_VERSION).
 */
describe('consent forms: retiring a published version, and edits with their revision', () => {
  let t: TestApp;
  let a: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  const admin = () => bearer(a.token.admin);
  const newForm = async (extra: object = {}) =>
    (
      await t.http
        .post(`${api}/consent-forms`)
        .set(admin())
        .send({ kind: 'ketamine-off-label', title: 'Ketamine off-label', body: 'text', ...extra })
        .expect(201)
    ).body as { id: string; version: number; revision: number; status: string };
  const sign = (patientId: string, formId: string) =>
    t.http
      .post(`${api}/patients/${patientId}/consents`)
      .set(bearer(a.token.nurse))
      .send({ formId, signedAt: new Date().toISOString(), signedByName: 'Ana Souza', method: 'in-person' });

  it('an edit carries the revision it read: a stale one is a 409 and the other administrator’s edit stands', async () => {
    const draft = await newForm({ publish: false });
    expect(draft.revision).toBe(1);
    const first = await t.http.patch(`${api}/consent-forms/${draft.id}`).set(admin()).send({ title: 'Reviewed', revision: 1 }).expect(200);
    expect(first.body).toMatchObject({ title: 'Reviewed', revision: 2, version: draft.version });
    const stale = await t.http.patch(`${api}/consent-forms/${draft.id}`).set(admin()).send({ body: 'older text', revision: 1 }).expect(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    const missing = await t.http.patch(`${api}/consent-forms/${draft.id}`).set(admin()).send({ body: 'x' }).expect(400);
    expect(new Set(missing.body.details.map((d: { field: string }) => d.field))).toEqual(new Set(['revision']));
    const now = await t.http.get(`${api}/consent-forms/${draft.id}`).set(bearer(a.token.nurse)).expect(200);
    expect(now.body).toMatchObject({ title: 'Reviewed', body: 'text', revision: 2 });
  });

  it('a retired version takes no new signature; the signatures on it stay active; retiring is the administrators’, once, audited', async () => {
    const form = await newForm();
    const signedBefore = await createPatient(t.http, a.token.nurse);
    const consent = (await sign(signedBefore.id, form.id).expect(201)).body as { id: string };

    await t.http.post(`${api}/consent-forms/${form.id}/retire`).set(bearer(a.token.nurse)).send({ reason: 'wording' }).expect(403);
    const retired = await t.http
      .post(`${api}/consent-forms/${form.id}/retire`)
      .set(admin())
      .send({ reason: 'replaced by the reviewed wording' })
      .expect(200);
    expect(retired.body).toMatchObject({ status: 'retired', retirementReason: 'replaced by the reviewed wording', retiredBy: a.admin.id });
    expect(Date.parse(retired.body.retiredAt)).toBeLessThanOrEqual(Date.now());
    const again = await t.http.post(`${api}/consent-forms/${form.id}/retire`).set(admin()).send({ reason: 'again' }).expect(409);
    expect(again.body.code).toBe('FORM_RETIRED');

    const later = await createPatient(t.http, a.token.nurse);
    const refused = await sign(later.id, form.id).expect(422);
    expect(refused.body.code).toBe('FORM_RETIRED');
    expect(refused.body.details).toEqual([expect.objectContaining({ code: 'FORM_RETIRED', overridable: false })]);
    const none = await t.http.get(`${api}/patients/${later.id}/consents`).set(bearer(a.token.nurse)).expect(200);
    expect(none.body.items).toEqual([]);

    const kept = await t.http.get(`${api}/patients/${signedBefore.id}/consents`).set(bearer(a.token.nurse)).expect(200);
    expect(kept.body.items).toEqual([expect.objectContaining({ id: consent.id, status: 'active' })]);
    const [row] = await t.runtime.dataSource.getRepository(AuditEvent).findBy({ action: 'consent-form.retire', resourceId: form.id });
    expect(row).toMatchObject({
      actorUserId: a.admin.id,
      changes: expect.objectContaining({ reason: 'replaced by the reviewed wording' }),
    });
    // The database keeps a published text as it was, retired or not, and retires it once.
    await expect(t.runtime.dataSource.query(`UPDATE consent_forms SET body = 'x' WHERE id = $1`, [form.id])).rejects.toThrow(/immutable/);
    await expect(t.runtime.dataSource.query(`UPDATE consent_forms SET retired_at = now() WHERE id = $1`, [form.id])).rejects.toThrow(
      /immutable/,
    );
  });

  it('a draft is not retired (409): it was never signed; edit it or leave it unpublished', async () => {
    const draft = await newForm({ publish: false });
    const res = await t.http.post(`${api}/consent-forms/${draft.id}/retire`).set(admin()).send({ reason: 'not needed' }).expect(409);
    expect(res.body.code).toBe('INVALID_TRANSITION');
  });
});
