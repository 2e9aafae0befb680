import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Clinic } from '#platform';

/** A treatment chair of the clinic. */
@Entity({ name: 'chairs' })
@Index('ux_chairs_name', ['clinicId', 'name'], { unique: true })
export class Chair {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_chairs' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @ManyToOne(() => Clinic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clinic_id', foreignKeyConstraintName: 'fk_chairs_clinic' })
  clinic?: Relation<Clinic>;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
