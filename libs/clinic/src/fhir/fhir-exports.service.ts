import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AuditService,
  Clock,
  DomainError,
  ErrorCode,
  JobName,
  PendingWorkService,
  TransactionRunner,
  VigilConfig,
  type Actor,
} from '#platform';
import { exportFile, outputsOf, removeExportFiles } from './export-files.js';
import type { ExportRequest } from './export-request.js';
import { FhirExport } from './fhir-export.entity.js';
import { UUID } from './resource.js';

/** Exports a clinic may have waiting or running at once; one more is 429. */
export const EXPORTS_IN_FLIGHT_MAX = 3;

/**
 * The API's side of FHIR Bulk Data export: kick-off (the row and its pending work, with its audit
 * row, in one transaction), status, cancellation and the files, always within the caller's clinic:
 * another clinic's export answers 404 exactly as a missing one, and so does an expired or cancelled one.
 */
@Injectable()
export class FhirExportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly pendingWork: PendingWorkService,
    private readonly audit: AuditService,
    private readonly config: VigilConfig,
    private readonly clock: Clock,
  ) {}

  kickOff(actor: Actor, request: ExportRequest, requestUrl: string): Promise<FhirExport> {
    return this.transactions.run(async (tx) => {
      // One kick-off at a time per clinic decides the count (the advisory lock ends with the transaction).
      await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext('fhir-export:' || $1))`, [actor.clinicId]);
      const [{ n }] = await tx.manager.query<[{ n: number }]>(
        `SELECT count(*)::int AS n FROM fhir_exports WHERE clinic_id = $1 AND status IN ('accepted', 'running')`,
        [actor.clinicId],
      );
      if (n >= EXPORTS_IN_FLIGHT_MAX)
        throw new DomainError(
          429,
          ErrorCode.RateLimited,
          `The clinic already has ${n} exports in progress: wait for one to finish or cancel it`,
          [],
          { 'Retry-After': '30' },
        );
      const e = await tx.manager.save(
        tx.manager.create(FhirExport, {
          clinicId: actor.clinicId,
          requestedBy: actor.userId,
          level: request.level,
          types: request.types,
          since: request.since,
          requestUrl: requestUrl.slice(0, 4000),
          status: 'accepted',
          progress: {},
        }),
      );
      await this.pendingWork.schedule(tx, { kind: JobName.FhirExport, subjectId: e.id, dueAt: this.clock.now(), clinicId: actor.clinicId });
      await this.audit.record(tx, {
        action: 'fhir.export.start',
        resourceType: 'fhir_export',
        resourceId: e.id,
        changes: { level: request.level, types: request.types, since: request.since?.toISOString() ?? null },
      });
      return e;
    });
  }

  /** The export as its status URL shows it; 404 for another clinic's, a cancelled or an expired one. */
  async find(actor: Actor, id: string): Promise<FhirExport> {
    const e = UUID.test(id) ? await this.dataSource.manager.findOneBy(FhirExport, { id, clinicId: actor.clinicId }) : null;
    if (!e || e.status === 'cancelled' || (e.expiresAt && e.expiresAt.getTime() <= this.clock.now().getTime()))
      throw DomainError.notFound('Export');
    return e;
  }

  /** DELETE on the status URL: stops a running export (the worker sees it at its next page), deletes the files. */
  async cancel(actor: Actor, id: string): Promise<void> {
    const e = await this.find(actor, id);
    await this.transactions.run(async (tx) => {
      const now = this.clock.now();
      const expiresAt = new Date(now.getTime() + this.config.FHIR_EXPORT_RETENTION_HOURS * 3_600_000);
      const done = await tx.manager
        .createQueryBuilder()
        .update(FhirExport)
        .set({ status: 'cancelled', finishedAt: now, expiresAt })
        .where(`id = :id AND clinic_id = :clinicId AND status <> 'cancelled'`, { id: e.id, clinicId: actor.clinicId })
        .execute();
      if (!done.affected) throw DomainError.notFound('Export');
      // The row goes after the retention time like any other; a finished export's pending expiry moves to it.
      await tx.manager.query(
        `UPDATE pending_work SET status = 'cancelled', completed_at = now() WHERE kind = $1 AND subject_id = $2 AND status = 'pending'`,
        [JobName.FhirExportExpire, e.id],
      );
      await this.pendingWork.schedule(tx, { kind: JobName.FhirExportExpire, subjectId: e.id, dueAt: expiresAt, clinicId: actor.clinicId });
      await this.audit.record(tx, {
        action: 'fhir.export.cancel',
        resourceType: 'fhir_export',
        resourceId: e.id,
        changes: { status: e.status },
      });
      tx.afterCommit(() => removeExportFiles(this.config, e));
    });
  }

  /** A completed export's file of `type`, with its line count; audited as a read of the clinic's data. */
  async file(actor: Actor, id: string, type: string): Promise<{ path: string; count: number }> {
    const e = await this.find(actor, id);
    const output = e.status === 'completed' ? outputsOf(e).find((o) => o.type === type) : undefined;
    if (!output) throw DomainError.notFound('Export file');
    await this.transactions.run((tx) =>
      this.audit.record(tx, {
        action: 'fhir.export.download',
        resourceType: 'fhir_export',
        resourceId: e.id,
        changes: { type, count: output.count },
      }),
    );
    return { path: exportFile(this.config, e, type), count: output.count };
  }
}
