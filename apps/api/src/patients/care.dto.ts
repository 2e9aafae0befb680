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
}
