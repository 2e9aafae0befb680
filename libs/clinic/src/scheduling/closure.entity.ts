import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Clinic, User } from '#platform';

/** A local calendar day the clinic is closed (a holiday, a closure): nothing is booked on it, series and maintenance skip it. */
@Entity({ name: 'clinic_closures' })
@Index('ux_clinic_closures_day', ['clinicId', 'date'], { unique: true })
export class ClinicClosure {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_clinic_closures' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @ManyToOne(() => Clinic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clinic_id', foreignKeyConstraintName: 'fk_clinic_closures_clinic' })
  clinic?: Relation<Clinic>;

  /** The clinic's local date, YYYY-MM-DD. */
  @Column({ type: 'date' })
  date!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_clinic_closures_created_by' })
  creator?: Relation<User>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
