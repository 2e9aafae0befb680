import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { AuditService, DomainError, ErrorCode, TransactionRunner, type Actor, type FieldProblem } from '#platform';
import { PatientsService } from './patients.service.js';
import { INTERACTING_CLASSES, SCREENING_ITEMS, screeningItem, type MedicationClass, type ScreeningSeverity } from './screening-items.js';
import { CautionAcknowledgement, PatientAllergy, PatientMedication, ScreeningAnswer } from './screening.entity.js';

export interface ScreeningInput {
  answers?: { item: string; present: boolean; note?: string | null }[];
  /** The complete current list; entries not repeated are marked removed. */
  allergies?: { substance: string; reaction?: string | null }[];
  medications?: { name: string; drugClass: MedicationClass; dose?: string | null }[];
}

export interface ScreeningView {
  items: {
    code: string;
    label: string;
    severity: ScreeningSeverity;
    /** null: not asked yet. */
    present: boolean | null;
    note: string | null;
    recordedBy: string | null;
    recordedAt: string | null;
  }[];
  absoluteContraindications: string[];
  relativeCautions: string[];
  /** Relative cautions recorded after the latest acknowledgement (or never acknowledged). */
  unacknowledgedCautions: string[];
  lastAcknowledgement: { acknowledgedBy: string; acknowledgedAt: string; items: string[]; note: string } | null;
  allergies: { id: string; substance: string; reaction: string | null; recordedBy: string; recordedAt: string }[];
  medications: { id: string; name: string; drugClass: MedicationClass; dose: string | null; recordedBy: string; recordedAt: string }[];
  /** Current medications in the classes the esketamine label warns about (sedatives, opioids, stimulants, MAOIs). */
  interactingMedications: string[];
}

/** What the pre-session gate asks about a patient's screening. */
export interface ScreeningStatus {
  absoluteContraindications: string[];
  unacknowledgedCautions: string[];
}

const key = (s: string) => s.trim().toLowerCase();

type Answer = NonNullable<ScreeningInput['answers']>[number];
type Allergy = NonNullable<ScreeningInput['allergies']>[number];
type Medication = NonNullable<ScreeningInput['medications']>[number];
/** One line of the audit row of a screening update. */
type Change = Record<string, unknown>;
/** Where and by whom a screening update is written. */
interface Recording {
  m: EntityManager;
  actor: Actor;
  patientId: string;
  now: Date;
}

/** Every answered item is a known one, answered once. */
function answerProblems(answers: Answer[]): FieldProblem[] {
  const unknown = answers.filter((a) => !screeningItem(a.item));
  if (unknown.length) return unknown.map((a) => ({ field: 'answers.item', message: `unknown screening item "${a.item}"` }));
  const items = answers.map((a) => a.item);
  return new Set(items).size !== items.length ? [{ field: 'answers', message: 'an item is answered twice' }] : [];
}

@Injectable()
export class ScreeningService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly patients: PatientsService,
  ) {}

  async get(actor: Actor, patientId: string): Promise<ScreeningView> {
    return this.transactions.run(async (tx) => {
      await this.patients.findInClinic(tx.manager, actor.clinicId, patientId);
      await this.audit.record(tx, { action: 'patient.screening.read', resourceType: 'patient', resourceId: patientId });
      return this.view(tx.manager, patientId);
    });
  }

  /** Answers to unknown items, or to one item twice. */
  problems(input: Partial<ScreeningInput>): FieldProblem[] {
    return answerProblems(input.answers ?? []);
  }

  /** Records the answers given; an unchanged answer keeps its original who and when. */
  async record(actor: Actor, patientId: string, input: ScreeningInput): Promise<ScreeningView> {
    const problems = this.problems(input);
    if (problems.length) throw DomainError.validation(problems);
    return this.transactions.run(async (tx) => {
      await this.patients.findInClinic(tx.manager, actor.clinicId, patientId, true);
      const at: Recording = { m: tx.manager, actor, patientId, now: new Date() };
      const changes = [
        ...(await this.recordAnswers(at, input.answers ?? [])),
        ...(input.allergies ? await this.recordAllergies(at, input.allergies) : []),
        ...(input.medications ? await this.recordMedications(at, input.medications) : []),
      ];
      await this.audit.record(tx, {
        action: 'patient.screening.update',
        resourceType: 'patient',
        resourceId: patientId,
        changes: { changes },
      });
      return this.view(tx.manager, patientId);
    });
  }

  /** A changed answer supersedes the current one; an unchanged one is left alone. */
  private async recordAnswers({ m, actor, patientId, now }: Recording, answers: Answer[]): Promise<Change[]> {
    const changes: Change[] = [];
    for (const a of answers) {
      const note = a.note?.trim() || null;
      const current = await m.findOneBy(ScreeningAnswer, { patientId, item: a.item, supersededAt: IsNull() });
      if (current && current.present === a.present && current.note === note) continue;
      if (current) await m.update(ScreeningAnswer, { id: current.id }, { supersededAt: now });
      await m.insert(ScreeningAnswer, {
        clinicId: actor.clinicId,
        patientId,
        item: a.item,
        present: a.present,
        note,
        recordedBy: actor.userId,
      });
      changes.push({ item: a.item, before: current ? current.present : null, after: a.present });
    }
    return changes;
  }

  /** The complete current list of allergies (by substance, whatever its case): the missing ones are removed. */
  private async recordAllergies({ m, actor, patientId, now }: Recording, allergies: Allergy[]): Promise<Change[]> {
    const changes: Change[] = [];
    const current = await m.findBy(PatientAllergy, { patientId, removedAt: IsNull() });
    const wanted = new Map(allergies.map((x) => [key(x.substance), x]));
    for (const row of current.filter((r) => !wanted.has(key(r.substance)))) {
      await m.update(PatientAllergy, { id: row.id }, { removedAt: now, removedBy: actor.userId });
      changes.push({ allergyRemoved: row.substance });
    }
    const have = new Set(current.map((r) => key(r.substance)));
    for (const x of allergies.filter((x) => !have.has(key(x.substance)))) {
      await m.insert(PatientAllergy, {
        clinicId: actor.clinicId,
        patientId,
        substance: x.substance.trim(),
        reaction: x.reaction?.trim() || null,
        recordedBy: actor.userId,
      });
      changes.push({ allergyAdded: x.substance.trim() });
    }
    return changes;
  }

  /** The complete current list of medications (by name, class and dose): the missing ones are removed. */
  private async recordMedications({ m, actor, patientId, now }: Recording, medications: Medication[]): Promise<Change[]> {
    const changes: Change[] = [];
    const current = await m.findBy(PatientMedication, { patientId, removedAt: IsNull() });
    const id = (x: { name: string; drugClass: string; dose?: string | null }) => `${key(x.name)}|${x.drugClass}|${key(x.dose ?? '')}`;
    const wanted = new Set(medications.map(id));
    for (const row of current.filter((r) => !wanted.has(id(r)))) {
      await m.update(PatientMedication, { id: row.id }, { removedAt: now, removedBy: actor.userId });
      changes.push({ medicationRemoved: row.name });
    }
    const have = new Set(current.map(id));
    for (const x of medications.filter((x) => !have.has(id(x)))) {
      await m.insert(PatientMedication, {
        clinicId: actor.clinicId,
        patientId,
        name: x.name.trim(),
        drugClass: x.drugClass,
        dose: x.dose?.trim() || null,
        recordedBy: actor.userId,
      });
      changes.push({ medicationAdded: x.name.trim(), drugClass: x.drugClass });
    }
    return changes;
  }

  /** An anesthesiologist acknowledges the relative cautions present now (needed once, before the first session). */
  async acknowledge(actor: Actor, patientId: string, note: string): Promise<ScreeningView> {
    return this.transactions.run(async (tx) => {
      await this.patients.findInClinic(tx.manager, actor.clinicId, patientId, true);
      const status = await this.status(tx.manager, patientId);
      const present = await this.presentItems(tx.manager, patientId, 'relative');
      if (present.length === 0) {
        throw DomainError.rulesUnmet(ErrorCode.RuleUnmet, 'There is no relative caution to acknowledge', [
          { code: 'NO_RELATIVE_CAUTIONS', message: 'no relative caution is recorded for this patient', overridable: false },
        ]);
      }
      await tx.manager.insert(CautionAcknowledgement, {
        clinicId: actor.clinicId,
        patientId,
        items: present,
        note: note.trim(),
        acknowledgedBy: actor.userId,
      });
      await this.audit.record(tx, {
        action: 'patient.cautions.acknowledge',
        resourceType: 'patient',
        resourceId: patientId,
        changes: { items: present, previouslyUnacknowledged: status.unacknowledgedCautions, note: note.trim() },
      });
      return this.view(tx.manager, patientId);
    });
  }

  /** Absolute contraindications present, and relative cautions not yet acknowledged. */
  async status(manager: EntityManager, patientId: string): Promise<ScreeningStatus> {
    const answers = await manager.findBy(ScreeningAnswer, { patientId, supersededAt: IsNull(), present: true });
    const ack = await this.lastAcknowledgement(manager, patientId);
    return {
      absoluteContraindications: answers.filter((a) => screeningItem(a.item)?.severity === 'absolute').map((a) => a.item),
      unacknowledgedCautions: answers
        .filter((a) => screeningItem(a.item)?.severity === 'relative')
        .filter((a) => !ack || a.recordedAt > ack.acknowledgedAt || !ack.items.includes(a.item))
        .map((a) => a.item),
    };
  }

  private async presentItems(manager: EntityManager, patientId: string, severity: ScreeningSeverity): Promise<string[]> {
    const answers = await manager.findBy(ScreeningAnswer, { patientId, supersededAt: IsNull(), present: true });
    return answers.filter((a) => screeningItem(a.item)?.severity === severity).map((a) => a.item);
  }

  private lastAcknowledgement(manager: EntityManager, patientId: string): Promise<CautionAcknowledgement | null> {
    return manager.findOne(CautionAcknowledgement, { where: { patientId }, order: { acknowledgedAt: 'DESC', id: 'DESC' } });
  }

  private async view(manager: EntityManager, patientId: string): Promise<ScreeningView> {
    // One connection in a transaction: one query at a time.
    const answers = await manager.findBy(ScreeningAnswer, { patientId, supersededAt: IsNull() });
    const allergies = await manager.find(PatientAllergy, { where: { patientId, removedAt: IsNull() }, order: { recordedAt: 'ASC' } });
    const medications = await manager.find(PatientMedication, { where: { patientId, removedAt: IsNull() }, order: { recordedAt: 'ASC' } });
    const ack = await this.lastAcknowledgement(manager, patientId);
    const status = await this.status(manager, patientId);
    const byItem = new Map(answers.map((a) => [a.item, a]));
    const items = SCREENING_ITEMS.map((i) => {
      const a = byItem.get(i.code);
      return {
        code: i.code,
        label: i.label,
        severity: i.severity,
        present: a ? a.present : null,
        note: a?.note ?? null,
        recordedBy: a?.recordedBy ?? null,
        recordedAt: a ? a.recordedAt.toISOString() : null,
      };
    });
    return {
      items,
      absoluteContraindications: status.absoluteContraindications,
      relativeCautions: items.filter((i) => i.severity === 'relative' && i.present).map((i) => i.code),
      unacknowledgedCautions: status.unacknowledgedCautions,
      lastAcknowledgement: ack
        ? { acknowledgedBy: ack.acknowledgedBy, acknowledgedAt: ack.acknowledgedAt.toISOString(), items: ack.items, note: ack.note }
        : null,
      allergies: allergies.map((a) => ({
        id: a.id,
        substance: a.substance,
        reaction: a.reaction,
        recordedBy: a.recordedBy,
        recordedAt: a.recordedAt.toISOString(),
      })),
      medications: medications.map((x) => ({
        id: x.id,
        name: x.name,
        drugClass: x.drugClass,
        dose: x.dose,
        recordedBy: x.recordedBy,
        recordedAt: x.recordedAt.toISOString(),
      })),
      interactingMedications: medications.filter((x) => INTERACTING_CLASSES.includes(x.drugClass)).map((x) => x.name),
    };
  }
}
