/**
 * Scenario 5: 10,000 follow-ups scheduled across the next minute, fired by a stand-alone worker
 * process: each must become due within 60 s of its due time, exactly once (one email each).
 * Scheduled through FollowUpsService in this process, as the API schedules them, 100 per transaction.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { createApiApp } from '../apps/api/src/api-app.js';
import { FollowUpsService } from '../libs/clinic/src/index.js';
import { ENTITIES } from '../libs/clinic/src/schema/index.js';
import { loadConfig, startRuntime, TransactionRunner } from '../libs/platform/src/index.js';
import { MIGRATIONS } from '../migrations/index.js';
import { percentile, sleep, startStack, table } from './support.js';

const COUNT = Number(process.env['QUEUE_FOLLOW_UPS'] ?? 10_000);
const SPREAD_MS = 60_000;
/** Scheduling takes a while; the minute of due times starts after it. */
const FIRST_DUE_MS = 30_000;
const SCHEDULERS = 4;

export async function queue(): Promise<string> {
  const stack = await startStack({ worker: true });
  const runtime = await startRuntime(loadConfig({ ...stack.env, DATABASE_POOL_SIZE: String(SCHEDULERS) }), {
    entities: ENTITIES,
    migrations: MIGRATIONS,
  });
  const app: INestApplicationContext = await createApiApp(runtime, { worker: false });
  try {
    const { rows: patient } = await stack.db.query<{ id: string }>(
      `INSERT INTO patients (clinic_id, mrn, first_name, last_name, date_of_birth, search_text)
       VALUES ($1, 'Q-1', 'Pat', 'Queue', '1980-01-01', 'pat queue') RETURNING id`,
      [stack.clinicId],
    );
    const followUps = app.get(FollowUpsService);
    const transactions = app.get(TransactionRunner);
    const start = Date.now();
    // Four transactions at a time, 100 follow-ups each, as several API requests would.
    let next = 0;
    const lane = async () => {
      while (next < COUNT) {
        const from = next;
        next += 100;
        await transactions.run(async (tx) => {
          for (let i = from; i < Math.min(COUNT, from + 100); i++)
            await followUps.create(tx, {
              clinicId: stack.clinicId,
              patientId: patient[0].id,
              kind: 'check-in-call-24h',
              title: `Bench follow-up ${i}`,
              dueAt: new Date(start + FIRST_DUE_MS + Math.floor((i / COUNT) * SPREAD_MS)),
              assigneeRole: 'admin',
            });
        });
      }
    };
    await Promise.all(Array.from({ length: SCHEDULERS }, lane));
    const scheduledIn = Date.now() - start;
    const deadline = start + FIRST_DUE_MS + SPREAD_MS + 90_000;
    let due = 0;
    while (Date.now() < deadline) {
      due = Number(
        (await stack.db.query<{ n: string }>(`SELECT count(*) n FROM follow_ups WHERE title LIKE 'Bench follow-up %' AND status = 'due'`))
          .rows[0].n,
      );
      if (due === COUNT) break;
      await sleep(1000);
    }
    await sleep(3000); // further sweeps: nothing may fire twice
    const { rows: lags } = await stack.db.query<{ lag: number }>(
      `SELECT extract(epoch FROM (w.completed_at - w.due_at)) * 1000 AS lag
         FROM pending_work w JOIN follow_ups f ON f.id = w.subject_id
        WHERE w.kind = 'follow-up-due' AND f.title LIKE 'Bench follow-up %' AND w.status = 'done'`,
    );
    const { rows: perTask } = await stack.db.query<{ emails: string; tasks: string }>(
      `SELECT emails, count(*) tasks FROM (
         SELECT f.id, count(n.id) emails FROM follow_ups f LEFT JOIN notifications n ON n.body LIKE '%Follow-up ' || f.id || '.%'
          WHERE f.title LIKE 'Bench follow-up %' GROUP BY f.id) x GROUP BY emails ORDER BY emails`,
    );
    const ms = lags.map((r) => Number(r.lag));
    const dueAtCreation = COUNT - ms.length; // created already due: no trigger to measure
    const late = ms.filter((x) => x > 60_000).length;
    return [
      `### 5. Queue: ${COUNT.toLocaleString('en')} follow-ups due across one minute, one worker process`,
      '',
      table(
        [
          'scheduled in',
          'due at creation',
          'became due',
          'fired late by p50 ms',
          'p99 ms',
          'max ms',
          'later than 60 s',
          'emails per follow-up',
        ],
        [
          [
            `${(scheduledIn / 1000).toFixed(1)} s`,
            dueAtCreation,
            `${due.toLocaleString('en')} of ${COUNT.toLocaleString('en')}`,
            Math.round(percentile(ms, 50)),
            Math.round(percentile(ms, 99)),
            Math.round(Math.max(...ms)),
            late,
            perTask.map((r) => `${r.emails}: ${Number(r.tasks).toLocaleString('en')}`).join(', '),
          ],
        ],
      ),
      '',
      'Goal: every one due within 60 s of its due time, exactly once ("1: 10,000" emails per follow-up).',
    ].join('\n');
  } finally {
    await app.close();
    await runtime.close();
    await stack.close();
  }
}
