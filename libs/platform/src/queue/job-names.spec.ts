import { JOB_ATTEMPTS, JobName, pendingWorkJobId } from './job-names.js';

describe('pending-work job ids', () => {
  const id = '7b0c0a52-3f7e-4a39-9d0e-2f1f1f6f4c11';
  const due = new Date('2026-11-21T09:00:00.000Z');

  it.each([
    [0, `expire-refresh-token-${id}-${due.getTime()}-0`],
    [JOB_ATTEMPTS - 1, `expire-refresh-token-${id}-${due.getTime()}-0`],
    [JOB_ATTEMPTS, `expire-refresh-token-${id}-${due.getTime()}-1`],
    [3 * JOB_ATTEMPTS + 2, `expire-refresh-token-${id}-${due.getTime()}-3`],
  ])('after %i failed attempts the id is %s', (attempts, expected) => {
    expect(pendingWorkJobId(JobName.ExpireRefreshToken, id, due, attempts)).toBe(expected);
  });

  it('moving the due time gives another id, and no id holds a colon', () => {
    const later = new Date(due.getTime() + 60_000);
    expect(pendingWorkJobId(JobName.ExpireRefreshToken, id, later)).not.toBe(pendingWorkJobId(JobName.ExpireRefreshToken, id, due));
    expect(pendingWorkJobId(JobName.ExpireRefreshToken, id, due)).not.toContain(':');
  });
});
