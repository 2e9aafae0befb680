import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * The audit trail: who did what to which record, with what outcome, in which request. Written in
 * the transaction of the change it records; PostgreSQL refuses UPDATE, DELETE and TRUNCATE on it.
 * No foreign keys: the trail must accept a record of anything, including failed logins.
 */
@Entity({ name: 'audit_events' })
@Index('ix_audit_events_clinic_time', ['clinicId', 'occurredAt'])
@Index('ix_audit_events_resource', ['resourceType', 'resourceId', 'occurredAt'])
@Index('ix_audit_events_actor', ['actorUserId', 'occurredAt'])
@Index('ix_audit_events_ip_action', ['ip', 'action', 'occurredAt'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_audit_events' })
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3, default: () => 'clock_timestamp()' })
  occurredAt!: Date;

  @Column({ name: 'clinic_id', type: 'uuid', nullable: true })
  clinicId!: string | null;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId!: string | null;

  @Column({ name: 'actor_role', type: 'text', nullable: true })
  actorRole!: string | null;

  /** dotted verb, e.g. `auth.login`, `user.create`, `patient.read` */
  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'resource_type', type: 'text' })
  resourceType!: string;

  @Column({ name: 'resource_id', type: 'text', nullable: true })
  resourceId!: string | null;

  @Column({ type: 'text' })
  outcome!: AuditOutcome;

  /** Vigil's own id of the request (a UUID it made up; never the caller's). */
  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  /** The X-Request-Id the caller sent, kept as its claim only (printable ASCII, at most 128 characters). */
  @Column({ name: 'claimed_request_id', type: 'text', nullable: true })
  claimedRequestId!: string | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  /** A small JSON of what changed (old and new values of the fields that matter); never secrets. */
  @Column({ type: 'jsonb', nullable: true })
  changes!: Record<string, unknown> | null;
}
