import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AuditService,
  Clock,
  DomainError,
  ErrorCode,
  JobHandler,
  JobName,
  NotificationOutbox,
  PendingWorkService,
  keysetPage,
  TransactionRunner,
  User,
  type Actor,
  type Page,
  type PendingWork,
  type Role,
  type Tx,
} from '#platform';
import { OnClinicEvent, type ClinicEventPayload } from '../events/index.js';
import { ClinicSettingsService } from '../settings/index.js';
import { mayActOnFollowUp } from './assignee-rule.js';
import { FollowUp, type FollowUpKind, type FollowUpStatus, type FollowUpSubject } from './follow-up.entity.js';

export interface NewFollowUp {
  clinicId: string;
  patientId: string;
  kind: FollowUpKind;
  subjectType?: FollowUpSubject | null;
  subjectId?: string | null;
  title: string;
  dueAt: Date;
  assigneeRole: Role;
  escalateAt?: Date | null;
}

export interface FollowUpView {
  id: string;
  patientId: string;
  kind: FollowUpKind;
  subjectType: FollowUpSubject | null;
  subjectId: string | null;
  title: string;
  dueAt: string;
  status: FollowUpStatus;
  assigneeRole: Role;
  escalateAt: string | null;
  escalatedAt: string | null;
  resultNote: string | null;
  completedBy: string | null;
  completedAt: string | null;
  createdAt: string;
}

const view = (f: FollowUp): FollowUpView => ({
  id: f.id,
  patientId: f.patientId,
  kind: f.kind,
  subjectType: f.subjectType,
  subjectId: f.subjectId,
  title: f.title,
  dueAt: f.dueAt.toISOString(),
  status: f.status,
  assigneeRole: f.assigneeRole,
  escalateAt: f.escalateAt?.toISOString() ?? null,
  escalatedAt: f.escalatedAt?.toISOString() ?? null,
  resultNote: f.resultNote,
  completedBy: f.completedBy,
  completedAt: f.completedAt?.toISOString() ?? null,
  createdAt: f.createdAt.toISOString(),
});

/** The task an actor may act on: found (else 404), theirs to act on (else 403), still open (else 409). */
function openTaskOf(actor: Actor, task: FollowUp | null): FollowUp {
  if (!task) throw DomainError.notFound('Follow-up');
  if (!mayActOnFollowUp(actor.role, task.assigneeRole))
    throw DomainError.forbidden(`This follow-up is assigned to the ${task.assigneeRole}s`);
  if (task.status === 'done' || task.status === 'cancelled')
    throw DomainError.conflict(ErrorCode.FollowUpClosed, `This follow-up is already ${task.status}`);
  return task;
}

/** Tasks for the clinic's staff (clinical-rules.md section 7). Administrators see their own tasks only (api.md). */
@Injectable()
export class FollowUpsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly pendingWork: PendingWorkService,
    private readonly outbox: NotificationOutbox,
    private readonly settings: ClinicSettingsService,
  ) {}

  /** A check-in call after every session (clinic setting `checkInCallAfterHours`, default 24 h). */
  @OnClinicEvent('SessionStatusChanged')
  async callAfterDischarge(e: ClinicEventPayload<'SessionStatusChanged'>, tx: Tx): Promise<void> {
    if (e.to !== 'discharged') return;
    const settings = await this.settings.forClinic(e.clinicId, tx.manager);
    await this.create(tx, {
      clinicId: e.clinicId,
      patientId: e.patientId,
      kind: 'check-in-call-24h',
      subjectType: 'session',
      subjectId: e.sessionId,
      title: `Call the patient ${settings.checkInCallAfterHours} hours after the session`,
      dueAt: new Date(e.at.getTime() + settings.checkInCallAfterHours * 60 * 60_000),
      assigneeRole: 'nurse',
    });
  }

  /**
   * Adds a task inside the caller's transaction. One due now is visible at once (and its assignees
   * told); a later one is a pending-work row that makes it due at its time, whatever the queue loses.
   */
  async create(tx: Tx, input: NewFollowUp): Promise<FollowUp> {
    const due = input.dueAt.getTime() <= this.clock.now().getTime();
    const escalateAfterHours = input.escalateAt
      ? 0
      : (await this.settings.forClinic(input.clinicId, tx.manager)).followUpOverdueEscalationHours;
    const task = await tx.manager.save(
      tx.manager.create(FollowUp, {
        ...input,
        subjectType: input.subjectType ?? null,
        subjectId: input.subjectId ?? null,
        // Overdue tasks escalate: at the time given (REMS form: day 5), else the clinic's hours after they came due.
        escalateAt: input.escalateAt ?? new Date(input.dueAt.getTime() + escalateAfterHours * 3600_000),
        status: due ? 'due' : 'pending',
      }),
    );
    if (due) await this.tell(tx, task, input.assigneeRole, `Vigil: ${task.kind.replace(/-/g, ' ')}`);
    else await this.pendingWork.schedule(tx, { kind: JobName.FollowUpDue, subjectId: task.id, dueAt: task.dueAt, clinicId: task.clinicId });
    if (task.escalateAt)
      await this.pendingWork.schedule(tx, {
        kind: JobName.FollowUpEscalate,
        subjectId: task.id,
        dueAt: task.escalateAt,
        clinicId: task.clinicId,
      });
    return task;
  }

  /** Moves a task not yet done; the job left at the old time finds nothing to do. */
  async reschedule(actor: Actor, id: string, dueAt: Date): Promise<FollowUpView> {
    return this.transactions.run(async (tx) => {
      const task = await this.lockOpen(tx, actor, id);
      const before = task.dueAt;
      const due = dueAt.getTime() <= this.clock.now().getTime();
      // The escalation keeps its distance from the due time.
      const escalateAt =
        task.escalateAt && !task.escalatedAt ? new Date(dueAt.getTime() + (task.escalateAt.getTime() - before.getTime())) : task.escalateAt;
      Object.assign(task, { dueAt, escalateAt, status: due ? 'due' : 'pending' });
      await tx.manager.save(task);
      if (due) await this.pendingWork.cancel(tx, JobName.FollowUpDue, id);
      else await this.pendingWork.schedule(tx, { kind: JobName.FollowUpDue, subjectId: id, dueAt, clinicId: task.clinicId });
      if (escalateAt && !task.escalatedAt)
        await this.pendingWork.schedule(tx, { kind: JobName.FollowUpEscalate, subjectId: id, dueAt: escalateAt, clinicId: task.clinicId });
      await this.audit.record(tx, {
        action: 'follow-up.reschedule',
        resourceType: 'follow-up',
        resourceId: id,
        changes: { before: before.toISOString(), after: dueAt.toISOString() },
      });
      return view(task);
    });
  }

  async cancel(actor: Actor, id: string, reason: string): Promise<FollowUpView> {
    return this.transactions.run(async (tx) => {
      const task = await this.lockOpen(tx, actor, id);
      Object.assign(task, { status: 'cancelled', resultNote: reason.trim(), completedBy: actor.userId, completedAt: this.clock.now() });
      await tx.manager.save(task);
      await this.pendingWork.cancel(tx, JobName.FollowUpDue, id);
      await this.pendingWork.cancel(tx, JobName.FollowUpEscalate, id);
      await this.audit.record(tx, {
        action: 'follow-up.cancel',
        resourceType: 'follow-up',
        resourceId: id,
        changes: { reason: task.resultNote },
      });
      return view(task);
    });
  }

  /**
   * Closes, inside the caller's transaction, every open task of `kind` for the patient (and subject,
   * if given): `cancelled` when it no longer applies, `done` when the caller's action did it. Their
   * pending work is cancelled with them. Returns how many were closed.
   */
  async closeOpen(
    tx: Tx,
    where: { patientId: string; kind: FollowUpKind; subjectId?: string },
    outcome: { status: 'cancelled' | 'done'; note: string; by?: string | null },
  ): Promise<number> {
    const q = tx.manager
      .createQueryBuilder(FollowUp, 'f')
      .setLock('pessimistic_write')
      .where("f.patient_id = :p AND f.kind = :k AND f.status IN ('pending', 'due')", { p: where.patientId, k: where.kind });
    if (where.subjectId) q.andWhere('f.subject_id = :s', { s: where.subjectId });
    const open = await q.getMany();
    for (const task of open) {
      Object.assign(task, {
        status: outcome.status,
        resultNote: outcome.note,
        completedBy: outcome.by ?? null,
        completedAt: this.clock.now(),
      });
      await tx.manager.save(task);
      await this.pendingWork.cancel(tx, JobName.FollowUpDue, task.id);
      await this.pendingWork.cancel(tx, JobName.FollowUpEscalate, task.id);
    }
    return open.length;
  }

  @JobHandler(JobName.FollowUpDue)
  async becomeDue(work: PendingWork, tx: Tx): Promise<void> {
    const task = await tx.manager.findOneBy(FollowUp, { id: work.subjectId });
    if (!task || task.status !== 'pending') return;
    await tx.manager.update(FollowUp, { id: task.id }, { status: 'due' });
    await this.tell(tx, task, task.assigneeRole, `Vigil: ${task.kind.replace(/-/g, ' ')}`);
  }

  @JobHandler(JobName.FollowUpEscalate)
  async escalate(work: PendingWork, tx: Tx): Promise<void> {
    const task = await tx.manager.findOneBy(FollowUp, { id: work.subjectId });
    if (!task || task.status === 'done' || task.status === 'cancelled' || task.escalatedAt) return;
    const now = this.clock.now();
    await tx.manager.update(FollowUp, { id: task.id }, { escalatedAt: now });
    const overdue = task.dueAt.getTime() <= now.getTime();
    await this.tell(tx, task, 'admin', `Vigil: ${overdue ? 'overdue' : 'overdue soon'}: ${task.kind.replace(/-/g, ' ')}`);
  }

  /** An email in the outbox for every active user of `role` in the task's clinic. */
  private async tell(tx: Tx, task: FollowUp, role: Role, subject: string): Promise<void> {
    const users = await tx.manager.findBy(User, { clinicId: task.clinicId, role, active: true });
    for (const u of users)
      await this.outbox.add(tx, {
        clinicId: task.clinicId,
        recipientUserId: u.id,
        recipientAddress: u.email,
        subject,
        body: `${task.title}. Due ${task.dueAt.toISOString()}. Follow-up ${task.id}.`,
      });
  }

  /**
   * The task, locked, still open and the actor's to act on. Administrators reach only their own
   * tasks (404 otherwise); a task of another role is refused (403, see `mayActOnFollowUp`).
   */
  private async lockOpen(tx: Tx, actor: Actor, id: string): Promise<FollowUp> {
    const q = tx.manager
      .createQueryBuilder(FollowUp, 'f')
      .setLock('pessimistic_write')
      .where('f.id = :id AND f.clinic_id = :c', { id, c: actor.clinicId });
    if (actor.role === 'admin') q.andWhere("f.assignee_role = 'admin'");
    return openTaskOf(actor, await q.getOne());
  }

  async list(
    actor: Actor,
    f: { status?: FollowUpStatus; dueBefore?: Date; patientId?: string; limit: number; cursor?: string },
  ): Promise<Page<FollowUpView>> {
    const q = this.dataSource.createQueryBuilder(FollowUp, 'f').where('f.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (actor.role === 'admin') q.andWhere("f.assignee_role = 'admin'");
    if (f.status) q.andWhere('f.status = :status', { status: f.status });
    if (f.dueBefore) q.andWhere('f.due_at < :dueBefore', { dueBefore: f.dueBefore });
    if (f.patientId) q.andWhere('f.patient_id = :patientId', { patientId: f.patientId });
    return keysetPage(q, {
      sortColumn: 'f.due_at',
      idColumn: 'f.id',
      order: 'ASC',
      cursor: f.cursor,
      limit: f.limit,
      key: (r) => ({ at: r.dueAt, id: r.id }),
      view,
    });
  }

  async complete(actor: Actor, id: string, note: string): Promise<FollowUpView> {
    return this.transactions.run(async (tx) => {
      const task = await this.lockOpen(tx, actor, id);
      Object.assign(task, { status: 'done', resultNote: note.trim(), completedBy: actor.userId, completedAt: this.clock.now() });
      await tx.manager.save(task);
      await this.pendingWork.cancel(tx, JobName.FollowUpDue, id);
      await this.pendingWork.cancel(tx, JobName.FollowUpEscalate, id);
      await this.audit.record(tx, {
        action: 'follow-up.complete',
        resourceType: 'follow-up',
        resourceId: id,
        changes: { kind: task.kind, patientId: task.patientId, note: task.resultNote },
      });
      return view(task);
    });
  }
}
