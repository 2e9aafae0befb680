import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A POST that carried `Idempotency-Key` (api.md): the answer it got, stored in the same
 * transaction as the change, so a retry gets the first answer and never repeats the change.
 * Keys belong to the user who sent them: a colleague's same key is another request.
 */
@Entity({ name: 'idempotency_keys' })
@Index('ix_idempotency_keys_created', ['createdAt'])
export class IdempotencyKey {
  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_idempotency_keys' })
  key!: string;

  /** sha256 of method, path and body: the same key with another request is a 409. */
  @Column({ type: 'text' })
  fingerprint!: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'pk_idempotency_keys' })
  userId!: string;

  @Column({ type: 'jsonb' })
  response!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
