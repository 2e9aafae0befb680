import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** A clinic is the tenant: every clinical row carries its id and every query is scoped to it. */
@Entity({ name: 'clinics' })
export class Clinic {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_clinics' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** IANA time zone; schedules are computed in it. */
  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Edits of the profile (name, time zone) send the version they read. */
  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;
}
