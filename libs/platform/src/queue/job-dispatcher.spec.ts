import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { TransactionRunner } from '../database/transaction.js';
import { JobDispatcher } from './job-dispatcher.js';
import { JobHandler } from './job-handler.decorator.js';
import { JobName } from './job-names.js';

@Injectable()
class SweepOnly {
  @JobHandler(JobName.SweepPendingWork)
  async sweep(): Promise<void> {}
}

@Injectable()
class ExpiryHandler {
  @JobHandler(JobName.ExpireRefreshToken)
  async expire(): Promise<void> {}
}

/** The clinical domains' handlers (vitals overdue, alert escalation, observation). */
@Injectable()
class ClinicalHandlers {
  @JobHandler(JobName.VitalsOverdue)
  async overdue(): Promise<void> {}

  @JobHandler(JobName.EscalateAlertToSession)
  async toSession(): Promise<void> {}

  @JobHandler(JobName.EscalateAlertToAll)
  async toAll(): Promise<void> {}

  @JobHandler(JobName.ObservationComplete)
  async observed(): Promise<void> {}

  @JobHandler(JobName.RemsBpCheck)
  async remsBp(): Promise<void> {}

  @JobHandler(JobName.FollowUpDue)
  async due(): Promise<void> {}

  @JobHandler(JobName.FollowUpEscalate)
  async escalate(): Promise<void> {}

  @JobHandler(JobName.DeliverNotification)
  async deliver(): Promise<void> {}

  @JobHandler(JobName.AppointmentReminder)
  async remind(): Promise<void> {}

  @JobHandler(JobName.LedgerLossDeadline)
  async lossDeadline(): Promise<void> {}

  @JobHandler(JobName.LedgerDiscrepancyOverdue)
  async discrepancyOverdue(): Promise<void> {}

  @JobHandler(JobName.SweepHl7Log)
  async sweepHl7Log(): Promise<void> {}

  @JobHandler(JobName.FhirExport)
  async fhirExport(): Promise<void> {}

  @JobHandler(JobName.FhirExportExpire)
  async fhirExportExpire(): Promise<void> {}

  @JobHandler(JobName.LedgerReminder)
  async ledgerReminder(): Promise<void> {}
}

@Injectable()
class SecondSweep {
  @JobHandler(JobName.SweepPendingWork)
  async sweepAgain(): Promise<void> {}
}

async function boot(...handlers: Array<new () => object>) {
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [JobDispatcher, { provide: TransactionRunner, useValue: {} }, ...handlers],
  }).compile();
  return module.init();
}

describe('job handlers are checked at start-up', () => {
  it('refuses to start when a job name has no handler', async () => {
    await expect(boot(SweepOnly)).rejects.toThrow('no handler for job(s): expire-refresh-token');
  });

  it('refuses to start when a job name has two handlers', async () => {
    await expect(boot(SweepOnly, SecondSweep, ExpiryHandler)).rejects.toThrow('job sweep-pending-work has two handlers');
  });

  it('starts when every job name has exactly one handler', async () => {
    const app = await boot(SweepOnly, ExpiryHandler, ClinicalHandlers);
    await app.close();
  });
});
