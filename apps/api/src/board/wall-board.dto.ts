import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { STREAM_EVENTS } from '../alerts/alert-stream.dto.js';
import { ALERT_LEVELS, ALERT_MEASURES, ALERT_STATUSES, BREACH_LEVELS, SESSION_STATUSES } from '#clinic';

const nullable = (type: 'string' | 'number', format?: string) => ({ type, nullable: true, ...(format && { format }) });

class WallClinicDto {
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'IANA time zone: the page shows every time in it, whatever the device’s zone' }) timeZone!: string;
}

class WallPatientDto {
  @ApiProperty({ description: 'first letters of the first and last name: the page shows no name' }) initials!: string;
  @ApiProperty({ description: 'whole years on the clinic’s calendar day' }) age!: number;
}

class WallProtocolDto {
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
}

class WallObservationDto {
  @ApiProperty({ ...nullable('string', 'date-time'), description: 'minimum observation counts from here (esketamine: the first device)' })
  from!: string | null;
  @ApiProperty() minimumMin!: number;
  @ApiProperty({ ...nullable('string', 'date-time'), description: 'from + minimumMin: the earliest discharge (the criteria still apply)' })
  eligibleAt!: string | null;
}

class LatestValueDto {
  @ApiProperty() value!: number;
  @ApiProperty({ format: 'date-time' }) measuredAt!: string;
}

const latest = () => ApiProperty({ type: LatestValueDto, nullable: true, description: 'the latest value and when it was measured' });

class WallVitalsDto {
  @ApiProperty({ description: 'a value older than this many minutes is stale (greyed)' }) staleAfterMin!: number;
  @ApiProperty({ ...nullable('string', 'date-time'), description: 'when the next reading is due (dosed sessions only)' }) dueAt!:
    string | null;
  @ApiProperty({ description: 'late by more than this past dueAt, the reading is overdue' }) overdueAfterMin!: number;
  @ApiProperty({ enum: BREACH_LEVELS, description: 'of the latest reading' }) breachLevel!: string;
  @latest() systolic!: LatestValueDto | null;
  @latest() diastolic!: LatestValueDto | null;
  @latest() heartRate!: LatestValueDto | null;
  @latest() spo2!: LatestValueDto | null;
  @latest() respiratoryRate!: LatestValueDto | null;
}

const column = (description: string) => ApiProperty({ type: 'array', items: { type: 'number', nullable: true }, description });

class WallTrendDto {
  @ApiProperty({ type: [Number], description: 'measurement times, seconds since the epoch, oldest first' }) t!: number[];
  @column('one per time; null where not measured') systolic!: (number | null)[];
  @column('as systolic') diastolic!: (number | null)[];
  @column('as systolic') heartRate!: (number | null)[];
  @column('as systolic') spo2!: (number | null)[];
}

class WallAlertDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ALERT_MEASURES }) measure!: string;
  @ApiProperty({ enum: ALERT_LEVELS }) level!: string;
  @ApiProperty({ enum: ALERT_STATUSES.filter((s) => s !== 'resolved'), description: 'unresolved' }) status!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty(nullable('string', 'date-time')) acknowledgedAt!: string | null;
  @ApiProperty({ ...nullable('string'), description: 'the name of who acknowledged it' }) acknowledgedBy!: string | null;
  @ApiProperty() escalationLevel!: number;
}

class WallTileDto {
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty(nullable('string')) chairLabel!: string | null;
  @ApiProperty({ type: WallPatientDto }) patient!: WallPatientDto;
  @ApiProperty({ type: WallProtocolDto }) protocol!: WallProtocolDto;
  @ApiProperty({ enum: SESSION_STATUSES }) status!: string;
  @ApiProperty({ ...nullable('string', 'date-time'), description: 'esketamine: the first device' }) dosingStartedAt!: string | null;
  @ApiProperty(nullable('string', 'date-time')) dosingEndedAt!: string | null;
  @ApiProperty({ type: WallObservationDto }) observation!: WallObservationDto;
  @ApiProperty({ ...nullable('string'), description: 'the anesthesiologist’s name' }) anesthesiologist!: string | null;
  @ApiProperty({ type: WallVitalsDto }) vitals!: WallVitalsDto;
  @ApiProperty({ type: WallTrendDto, description: 'the last trendWindowMin minutes' }) trend!: WallTrendDto;
  @ApiProperty({ type: [WallAlertDto], description: 'unresolved, oldest first' }) alerts!: WallAlertDto[];
}

export class WallBoardDto {
  @ApiProperty({ type: WallClinicDto }) clinic!: WallClinicDto;
  @ApiProperty({ format: 'date-time', description: 'the server’s time of the snapshot' }) now!: string;
  @ApiProperty() trendWindowMin!: number;
  @ApiProperty({ type: [WallTileDto], description: 'the active sessions in chair order' }) sessions!: WallTileDto[];
}

/** `board`: the floor changed otherwise (readings stored, a session moved), read GET /board again; `open`: caught up and listening. Data `{}`. */
export class BoardSignalEventDto {}

/** Each event name of GET /board/stream → the schema of its data: the alert stream's, and the board's own signals. */
export const BOARD_STREAM_EVENTS: Record<string, { $ref: string }> = {
  ...STREAM_EVENTS,
  board: { $ref: getSchemaPath(BoardSignalEventDto) },
  open: { $ref: getSchemaPath(BoardSignalEventDto) },
};
