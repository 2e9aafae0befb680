import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class DischargeFromCareDto {
  @ApiProperty({ description: 'why the treatment ends (completed, moved away, referred elsewhere…)' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;
}

export class DischargeFromCareResultDto {
  @ApiProperty({ type: [String], description: 'series whose maintenance stopped' }) stoppedSeries!: string[];
  @ApiProperty({ description: 'future confirmed appointments flagged patient-discharged-from-care' }) flaggedAppointments!: number;
  @ApiProperty({ type: [String], description: 'future appointments cancelled by the discharge (their chairs are free again)' })
  cancelledAppointments!: string[];
}

export class ReadmitDto {
  @ApiProperty({ description: 'why the patient comes back into treatment' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;
}
