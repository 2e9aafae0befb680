import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, JobHandler, JobName, outsideTransaction, PendingWorkService, VigilConfig, type PendingWork, type Tx } from '#platform';
import { exportFile, freshProgress, removeExportFiles } from './export-files.js';
import { FhirExportPages } from './export-pages.js';
import type { ExportType } from './export-request.js';
import { FhirExport, type TypeProgress } from './fhir-export.entity.js';

/** Runs of one export that may fail (each retried by the queue) before it is marked failed with its reason. */
export const EXPORT_ATTEMPTS = 3;

/**
 * Carries out a FHIR export's pending-work row in the worker. Each page is appended to its type's
 * file, flushed, and then the cursor, line count and byte length are committed on the export's row.
 * A run that dies (worker SIGKILLed, Redis flushed: the sweeper re-adds the job from the row) is
 * resumed by the next one, which cuts each file back to its committed length first: no line is
 * written twice. A cancellation (the row no longer running) stops it at the next page.
 */
@Injectable()
export class FhirExportRunner {
  private readonly logger = new Logger('FhirExport');

  constructor(
    private readonly dataSource: DataSource,
    private readonly pages: FhirExportPages,
    private readonly pendingWork: PendingWorkService,
    private readonly config: VigilConfig,
    private readonly clock: Clock,
  ) {}

  @JobHandler(JobName.FhirExport)
  async run(work: PendingWork, tx: Tx): Promise<void> {
    // The export's row is written outside the claim's transaction, each page on its own, so its progress
    // shows and survives a kill; the claim's transaction only records the end.
    const e = await outsideTransaction(() => this.start(work.subjectId));
    if (!e) return; // cancelled (or finished) before it ran
    try {
      const written = await outsideTransaction(async () => {
        for (const type of e.types) if (!(await this.writeType(e, type as ExportType))) return false;
        return true;
      });
      if (!written) return this.stopCancelled(e);
    } catch (err) {
      if (work.attempts + 1 < EXPORT_ATTEMPTS) throw err;
      this.logger.warn(`export ${e.id} failed after ${EXPORT_ATTEMPTS} runs: ${(err as Error).message}`);
      await removeExportFiles(this.config, e);
      return this.finish(tx, e, 'failed', `The export could not be written: ${(err as Error).message}`.slice(0, 2000));
    }
    return this.finish(tx, e, 'completed', null);
  }

  private async start(id: string): Promise<FhirExport | null> {
    const repo = this.dataSource.getRepository(FhirExport);
    const started = await repo
      .createQueryBuilder()
      .update()
      .set({ status: 'running', startedAt: () => 'COALESCE(started_at, now())' })
      .where(`id = :id AND status IN ('accepted', 'running')`, { id })
      .execute();
    return started.affected ? repo.findOneByOrFail({ id }) : null;
  }

  /** Writes the rest of one type's file; false when the export was cancelled meanwhile. */
  private async writeType(e: FhirExport, type: ExportType): Promise<boolean> {
    let p: TypeProgress = e.progress[type] ?? freshProgress();
    if (p.done) return true;
    const path = exportFile(this.config, e, type);
    await mkdir(dirname(path), { recursive: true });
    const size = await stat(path).then(
      (s) => s.size,
      () => null,
    );
    if (size === null || size < p.bytes) p = freshProgress(); // the file is gone or short: write the type again
    const file = await open(path, size === null ? 'w' : 'r+');
    try {
      await file.truncate(p.bytes); // lines written after the last committed page go
      for (;;) {
        const page = await this.pages.page(e.clinicId, type, e.since, p.after, this.config.FHIR_EXPORT_PAGE_SIZE);
        const text = page.resources.map((r) => `${JSON.stringify(r)}\n`).join('');
        if (text) {
          await file.write(text, p.bytes);
          await file.datasync();
        }
        p = { after: page.next, count: p.count + page.resources.length, bytes: p.bytes + Buffer.byteLength(text), done: !page.next };
        e.progress = { ...e.progress, [type]: p };
        const saved = await this.dataSource
          .getRepository(FhirExport)
          .createQueryBuilder()
          .update()
          .set({ progress: e.progress })
          .where(`id = :id AND status = 'running'`, { id: e.id })
          .execute();
        if (!saved.affected) return false;
        if (p.done) return true;
      }
    } finally {
      await file.close();
    }
  }

  private async stopCancelled(e: FhirExport): Promise<void> {
    await removeExportFiles(this.config, e);
  }

  /** The export's end, in the pending-work row's transaction, with the row of its expiry. */
  private async finish(tx: Tx, e: FhirExport, status: 'completed' | 'failed', error: string | null): Promise<void> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.FHIR_EXPORT_RETENTION_HOURS * 3_600_000);
    const done = await tx.manager
      .createQueryBuilder()
      .update(FhirExport)
      .set({ status, error, finishedAt: now, expiresAt, progress: e.progress })
      .where(`id = :id AND status = 'running'`, { id: e.id })
      .execute();
    if (!done.affected) return this.stopCancelled(e);
    await this.pendingWork.schedule(tx, { kind: JobName.FhirExportExpire, subjectId: e.id, dueAt: expiresAt, clinicId: e.clinicId });
  }

  /** Retention is over (or the export was cancelled long enough ago): its files and row go. */
  @JobHandler(JobName.FhirExportExpire)
  async expire(work: PendingWork, tx: Tx): Promise<void> {
    const e = await tx.manager.findOneBy(FhirExport, { id: work.subjectId });
    if (!e) return;
    await removeExportFiles(this.config, e);
    await tx.manager.delete(FhirExport, { id: e.id });
  }
}
