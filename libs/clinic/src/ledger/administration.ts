import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, DomainError, type RuleProblem, type Tx } from '#platform';
import { OnClinicEvent, type ClinicEventPayload } from '../events/index.js';
import { Patient } from '../patients/index.js';
import { Session } from '../sessions/index.js';
import { balanceProblem, containerProblems } from './container-rules.js';
import { CsEvent } from './cs-event.entity.js';
import { appendEvent, clinicDate, containerLabel, lockContainer } from './ledger-book.js';
import { qty, quantityForDose } from './quantities.js';
import { CsProduct, CsRegistration } from './registry.entity.js';
import { CsContainer } from './stock.entity.js';

/**
 * The ledger's side of a session: the dose drawn from a named container at the start, and at the end
 * of dosing (or its abort) the dose actually given, both in the session's own transaction.
 */
@Injectable()
export class LedgerAdministration {
  constructor(private readonly audit: AuditService) {}

  /**
   * Records the draw (an `administer` event: the dose in the container's unit, with the patient,
   * session, who and when) after locking the container, so concurrent draws queue and none takes
   * more than is left. Refuses (422, every reason) an expired, quarantined, closed or empty
   * container, a lapsed registration, another substance, a dose that is not whole devices, or more
   * than the container holds (CS_BALANCE_NEGATIVE).
   */
  @OnClinicEvent('ControlledDoseDrawn')
  async draw(e: ClinicEventPayload<'ControlledDoseDrawn'>, tx: Tx): Promise<{ lot: string }> {
    const m = tx.manager;
    if (e.containerId === null) return { lot: await typedLotAllowed(m, e.clinicId, e.typedLot!) };
    const c = await lockContainer(m, e.clinicId, e.containerId).catch((err: unknown) => {
      if (err instanceof DomainError && err.status === 404)
        throw DomainError.validation([{ field: 'containerId', message: 'no container of your clinic has this id' }]);
      throw err;
    });
    const product = await m.findOneByOrFail(CsProduct, { id: c.productId });
    const problems = await this.drawProblems(m, c, product, e);
    const dose = quantityForDose(product, e.doseMg);
    if ('problem' in dose) {
      if (product.substance === e.substance) problems.push({ code: 'CS_DOSE_NOT_WHOLE_UNITS', message: dose.problem, overridable: false });
    } else if (!problems.length) {
      const short = balanceProblem({ label: containerLabel(c), balance: c.balance, unit: product.unit }, dose.quantity);
      if (short) problems.push(short);
    }
    if (problems.length || 'problem' in dose)
      throw DomainError.firstRuleUnmet(`The dose cannot be drawn from ${containerLabel(c)}`, problems);
    const event = await appendEvent(m, c, product, {
      kind: 'administer',
      occurredAt: e.at,
      actorUserId: e.actor.userId,
      quantity: dose.quantity,
      quantityMg: e.doseMg,
      delta: -dose.quantity,
      patientId: e.patientId,
      sessionId: e.sessionId,
    });
    await this.audit.record(tx, {
      action: 'ledger.administer',
      resourceType: 'cs_container',
      resourceId: c.id,
      changes: {
        eventId: event.id,
        sessionId: e.sessionId,
        patientId: e.patientId,
        quantity: dose.quantity,
        unit: product.unit,
        mg: e.doseMg,
        balanceAfter: event.balanceAfter,
      },
    });
    return { lot: c.lot };
  }

  private async drawProblems(
    m: EntityManager,
    c: CsContainer,
    p: CsProduct,
    e: ClinicEventPayload<'ControlledDoseDrawn'>,
  ): Promise<RuleProblem[]> {
    const registration = await m.findOneByOrFail(CsRegistration, { id: c.registrationId });
    const today = await clinicDate(m, e.clinicId, e.at);
    const label = containerLabel(c);
    const wrong: RuleProblem[] =
      p.substance === e.substance
        ? []
        : [{ code: 'CS_WRONG_SUBSTANCE', message: `${label} holds ${p.substance}; this session gives ${e.substance}`, overridable: false }];
    // 1304.22(c): the record of an administration carries the patient's name and address.
    const patient = await m.findOneByOrFail(Patient, { id: e.patientId });
    const address: RuleProblem[] = patient.address?.trim()
      ? []
      : [
          {
            code: 'CS_PATIENT_ADDRESS_MISSING',
            message: "the patient's address is part of the controlled-substance record: add it to the patient first",
            overridable: false,
          },
        ];
    return [
      ...wrong,
      ...address,
      ...containerProblems(
        {
          label,
          status: c.status,
          balance: c.balance,
          unit: p.unit,
          expiresOn: c.expiresOn,
          registrationExpiresOn: registration.expiresOn,
        },
        today,
      ),
    ];
  }

  /**
   * At the end of dosing or its abort, the dose given (the session's delivered dose of record) beside
   * the dose drawn: a `reconcile` event that moves no balance (what was drawn left the container at
   * the start) and states the difference, the part drawn but not given, which is then wasted.
   */
  @OnClinicEvent('SessionStatusChanged')
  async reconcileDose(e: ClinicEventPayload<'SessionStatusChanged'>, tx: Tx): Promise<void> {
    if (e.verb !== 'end-dosing' && e.verb !== 'abort') return;
    const m = tx.manager;
    const draw = await m.findOne(CsEvent, { where: { sessionId: e.sessionId, kind: 'administer' }, order: { recordedAt: 'ASC' } });
    if (!draw?.containerId) return;
    const session = await m.findOneByOrFail(Session, { id: e.sessionId });
    const c = await lockContainer(m, e.clinicId, draw.containerId);
    const product = await m.findOneByOrFail(CsProduct, { id: c.productId });
    const drawnMg = draw.quantityMg ?? 0;
    const givenMg = Math.min(session.deliveredDoseMg ?? drawnMg, drawnMg);
    const given = product.unit === 'device' ? Math.floor(givenMg / product.mgPerUnit + 1e-9) : qty(givenMg / product.mgPerUnit);
    const leftover = qty(Math.max(0, draw.quantity - given));
    const event = await appendEvent(m, c, product, {
      kind: 'reconcile',
      occurredAt: e.at,
      actorUserId: e.actor.userId,
      quantity: given,
      quantityMg: givenMg,
      delta: 0,
      patientId: e.patientId,
      sessionId: e.sessionId,
      data: { drawn: draw.quantity, drawnMg, given, givenMg, leftover, leftoverMg: qty(drawnMg - givenMg), drawEventId: draw.id },
    });
    await this.audit.record(tx, {
      action: 'ledger.reconcile',
      resourceType: 'cs_container',
      resourceId: c.id,
      changes: { eventId: event.id, sessionId: e.sessionId, drawn: draw.quantity, given, leftover, unit: product.unit },
    });
  }
}

/**
 * A typed lot with no container is a dose the ledger cannot account for: refused (400 naming
 * `containerId`) once the clinic has a DEA registration in Vigil, so every dose of a clinic that keeps
 * its controlled substances here is drawn from a container; a clinic that keeps them elsewhere types lots.
 */
async function typedLotAllowed(m: EntityManager, clinicId: string, lot: string): Promise<string> {
  if (await m.existsBy(CsRegistration, { clinicId }))
    throw DomainError.validation([
      {
        field: 'containerId',
        message: 'this clinic keeps its controlled substances in Vigil: name the container (vial or kit) the dose is drawn from',
      },
    ]);
  return lot;
}
