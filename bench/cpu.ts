/**
 * Where a run's CPU went (Linux /proc): the whole machine's busy time, which on this benchmark's
 * machine is the API, PostgreSQL and the load generator on the same two cores, and the API
 * process's own. Divided by what the run stored, it is the cost of one reading: the figure that
 * says how far a ratio to raw inserts can go on a machine whose cores are all busy.
 */
import { readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Busy ticks of all cores since boot: user, nice, system, irq, softirq, steal. */
function machineTicks(): number {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return user + nice + system + irq + softirq + steal;
}

/** User and system ticks of one process. */
function processTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
}

export interface CpuSpent {
  /** ms of CPU the whole machine spent (every process, PostgreSQL and the load generator included). */
  machineMs: number;
  /** ms of CPU the API process spent (0 when none was named). */
  apiMs: number;
}

/** Runs `work`, and what CPU it took. */
export async function measuredCpu<T>(apiPid: number | undefined, work: () => Promise<T>): Promise<[T, CpuSpent]> {
  const [m0, a0] = [machineTicks(), apiPid ? processTicks(apiPid) : 0];
  const result = await work();
  const [m1, a1] = [machineTicks(), apiPid ? processTicks(apiPid) : 0];
  return [result, { machineMs: (m1 - m0) * TICK_MS, apiMs: (a1 - a0) * TICK_MS }];
}

/** µs of CPU per item: `ms` over `items`. */
export const perItemUs = (ms: number, items: number): number => (items > 0 ? Math.round((ms * 1000) / items) : 0);
