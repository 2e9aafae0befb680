import { ApiProperty } from '@nestjs/swagger';
import {
  ALERT_LEVELS,
  ALERT_MEASURES,
  ALERT_STATUSES,
  BREACH_LEVELS,
  BREACH_RULES,
  CSSRS_SCREENER_RESULTS,
  DETAIL_READINGS,
  MEASURES,
  PLAUSIBLE,
  PREGNANCY_STATUSES,
  READING_PHASES,
  READING_SOURCES,
  SESSION_STATUSES,
  TIMELINE_KINDS,
  TRANSPORT_HOME,
  type AlertLevel,
  type AlertMeasure,
  type AlertStatus,
  type BreachLevel,
} from '#clinic';

const nullable = (type: 'string' | 'number' | 'boolean', format?: string) => ({ type, nullable: true, ...(format && { format }) });
/** A measurement as stored: null when not taken, else within the plausible range (clinical-rules.md section 3). */
const measured = (measure: keyof typeof PLAUSIBLE) => ({
  ...nullable('number'),
  minimum: PLAUSIBLE[measure][0],
  maximum: PLAUSIBLE[measure][1],
});

/** The pre-session checklist as recorded. */
export class PreChecksViewDto {
  @ApiProperty({ enum: TRANSPORT_HOME }) transportHome!: string;
  @ApiProperty(nullable('string')) escortName!: string | null;
  @ApiProperty(nullable('string', 'date-time')) lastFoodAt!: string | null;
  @ApiProperty(nullable('string', 'date-time')) lastLiquidsAt!: string | null;
  @ApiProperty({ enum: PREGNANCY_STATUSES, nullable: true }) pregnancyStatus!: string | null;
  @ApiProperty({ enum: CSSRS_SCREENER_RESULTS }) cssrsScreener!: string;
  @ApiProperty(nullable('string')) notes!: string | null;
  @ApiProperty({ format: 'uuid' }) recordedBy!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

/** A soft stop passed at start. */
export class StartOverrideDto {
  @ApiProperty({ example: 'BASELINE_BP_HIGH' }) code!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'uuid', description: 'who passed it' }) by!: string;
}

export class DoseOrderDto {
  @ApiProperty(nullable('number')) mgPerKg!: number | null;
  @ApiProperty({ ...nullable('number'), description: 'as ordered, never rounded' }) orderedDoseMg!: number | null;
  @ApiProperty({ ...nullable('number'), description: 'the dose drawn up, to 0.1 mg (what was given: deliveredDoseMg)' }) doseMg!:
    number | null;
  @ApiProperty(nullable('number')) weightKg!: number | null;
  @ApiProperty(nullable('number')) concentrationMgPerMl!: number | null;
  @ApiProperty(nullable('number')) rateMgPerH!: number | null;
  @ApiProperty(nullable('number')) rateMlPerH!: number | null;
  @ApiProperty(nullable('number')) durationMin!: number | null;
  @ApiProperty(nullable('number')) devices!: number | null;
  @ApiProperty({
    ...nullable('number'),
    description: 'set at the end of dosing or its abort: the dose of record (measured from the bag when measured, else computed)',
  })
  deliveredDoseMg!: number | null;
  @ApiProperty({
    ...nullable('number'),
    description: 'from the pump history (pauses, rate changes, end or abort); esketamine: the devices given',
  })
  computedDoseMg!: number | null;
  @ApiProperty({ ...nullable('number'), description: 'the volume measured left in the bag (mL)' }) bagRemainingMl!: number | null;
  @ApiProperty({ ...nullable('number'), description: 'delivered − the dose drawn up' }) differenceMg!: number | null;
  @ApiProperty({ ...nullable('number'), description: 'measured − computed, when the bag was measured' }) measuredMinusComputedMg!:
    number | null;
}

export class SessionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty() protocol!: string;
  @ApiProperty({ format: 'uuid', description: 'the protocol version the session runs on' }) protocolVersionId!: string;
  @ApiProperty(nullable('string', 'uuid')) appointmentId!: string | null;
  @ApiProperty({ enum: SESSION_STATUSES }) status!: string;
  @ApiProperty(nullable('string', 'uuid')) nurseUserId!: string | null;
  @ApiProperty(nullable('string', 'uuid')) anesthesiologistUserId!: string | null;
  @ApiProperty({ ...nullable('string', 'uuid'), description: 'the chair the patient sits in (its monitors chart into this session)' })
  chairId!: string | null;
  @ApiProperty({ ...nullable('string'), description: 'the chair’s name, or a free label given at check-in' }) chairLabel!: string | null;
  @ApiProperty({ type: PreChecksViewDto, nullable: true, description: 'the pre-session checklist' }) preChecks!: PreChecksViewDto | null;
  @ApiProperty({ type: [StartOverrideDto], description: 'soft stops passed at start' }) startOverrides!: StartOverrideDto[];
  @ApiProperty(nullable('string', 'uuid')) baselineReadingId!: string | null;
  @ApiProperty({ type: DoseOrderDto }) dose!: DoseOrderDto;
  @ApiProperty(nullable('string', 'date-time')) checkedInAt!: string | null;
  @ApiProperty(nullable('string', 'date-time')) dosingStartedAt!: string | null;
  @ApiProperty(nullable('string', 'date-time')) dosingEndedAt!: string | null;
  @ApiProperty({ ...nullable('string', 'date-time'), description: 'minimum observation counts from here' }) observationFrom!: string | null;
  @ApiProperty(nullable('string', 'date-time')) endedAt!: string | null;
  @ApiProperty(nullable('string', 'date-time')) lastReadingAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() version!: number;
}

export class AlertDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ enum: ALERT_MEASURES, description: 'blood-pressure: one alert per reading for systolic and diastolic together' })
  measure!: AlertMeasure;
  @ApiProperty({ enum: ALERT_LEVELS }) level!: AlertLevel;
  @ApiProperty({ enum: ALERT_STATUSES }) status!: AlertStatus;
  @ApiProperty() message!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) readingCount!: number;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty(nullable('string', 'date-time')) acknowledgedAt!: string | null;
  @ApiProperty(nullable('string', 'uuid')) acknowledgedBy!: string | null;
  @ApiProperty(nullable('string', 'date-time')) resolvedAt!: string | null;
  @ApiProperty(nullable('string', 'uuid')) resolvedBy!: string | null;
  @ApiProperty(nullable('string')) resolutionNote!: string | null;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 2,
    description: '0 none, 1 the session’s anesthesiologist, 2 every anesthesiologist',
  })
  escalationLevel!: number;
  @ApiProperty(nullable('string', 'date-time')) escalatedAt!: string | null;
}

export class TimelineEntryDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: TIMELINE_KINDS }) kind!: string;
  @ApiProperty({ description: 'the verb, the reading source, or the alert event' }) type!: string;
  @ApiProperty(nullable('string', 'uuid')) actorUserId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: object;
}

export class ObservationTimeDto {
  @ApiProperty({ description: 'the protocol’s minimum observation' }) minimumMin!: number;
  @ApiProperty({ ...nullable('number'), description: 'since dosing ended (esketamine: since the first device)' }) elapsedMin!:
    number | null;
  @ApiProperty(nullable('number')) remainingMin!: number | null;
}

export class SessionPageDto {
  @ApiProperty({ type: [SessionDto] }) items!: SessionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SessionDetailDto extends SessionDto {
  @ApiProperty({ type: ObservationTimeDto }) observation!: ObservationTimeDto;
  @ApiProperty({
    type: [TimelineEntryDto],
    description: `in time order; of the readings, only the latest ${DETAIL_READINGS} (all of them: GET /sessions/{id}/vitals)`,
  })
  timeline!: TimelineEntryDto[];
  @ApiProperty({ type: [AlertDto] }) alerts!: AlertDto[];
  @ApiProperty({
    description: `true when the session has more than ${DETAIL_READINGS} readings: the timeline carries the latest ${DETAIL_READINGS}, GET /sessions/{id}/vitals pages through all`,
  })
  readingsTruncated!: boolean;
}

export class BreachDto {
  @ApiProperty({ enum: MEASURES }) measure!: string;
  @ApiProperty({ enum: ALERT_LEVELS }) level!: AlertLevel;
  @ApiProperty({ enum: BREACH_RULES }) rule!: string;
  @ApiProperty() value!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() message!: string;
}

export class ReadingDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty({ format: 'date-time' }) measuredAt!: string;
  @ApiProperty({ enum: READING_SOURCES }) source!: string;
  @ApiProperty(nullable('string')) deviceId!: string | null;
  @ApiProperty({ enum: READING_PHASES }) phase!: string;
  @ApiProperty(measured('systolic')) systolic!: number | null;
  @ApiProperty(measured('diastolic')) diastolic!: number | null;
  @ApiProperty(measured('heartRate')) heartRate!: number | null;
  @ApiProperty(measured('spo2')) spo2!: number | null;
  @ApiProperty(measured('respiratoryRate')) respiratoryRate!: number | null;
  @ApiProperty(measured('temperatureC')) temperatureC!: number | null;
  @ApiProperty(measured('moaas')) moaas!: number | null;
  @ApiProperty({ enum: BREACH_LEVELS }) breachLevel!: BreachLevel;
  @ApiProperty({ type: [BreachDto] }) breaches!: BreachDto[];
  @ApiProperty({ description: 'the session’s baseline set' }) baseline!: boolean;
  @ApiProperty({ description: 'a resent device reading: nothing new was stored' }) duplicate!: boolean;
  @ApiProperty({
    description:
      'a monitor’s reading that arrived more than the clinic’s lateReadingPageAfterMin after it was measured: judged and shown, it raised no alert',
  })
  late!: boolean;
  @ApiProperty({ description: 'its measurement time came without an offset and was read in the gateway’s configured zone' })
  timeOffsetAssumed!: boolean;
  @ApiProperty({ ...nullable('string', 'uuid'), description: 'null: charted by a bedside monitor’s feed (deviceId names it)' })
  recordedBy!: string | null;
}

export class ReadingPageDto {
  @ApiProperty({ type: [ReadingDto], description: 'oldest first' }) items!: ReadingDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class VitalsResultDto {
  @ApiProperty({ type: ReadingDto }) reading!: ReadingDto;
  @ApiProperty({ type: [AlertDto], description: 'alerts raised or added to by this reading' }) alerts!: AlertDto[];
}

export class VitalsBatchResultDto {
  @ApiProperty({ type: [ReadingDto] }) readings!: ReadingDto[];
  @ApiProperty({ type: [AlertDto] }) alerts!: AlertDto[];
}

class BoardPatientDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() mrn!: string;
  @ApiProperty() firstName!: string;
  @ApiProperty() lastName!: string;
}

class BoardObservationDto {
  @ApiProperty() minimumMin!: number;
  @ApiProperty(nullable('number')) elapsedMin!: number | null;
  @ApiProperty(nullable('number')) remainingMin!: number | null;
}

/** The latest reading of a session on the board. */
class BoardVitalsDto {
  @ApiProperty({ format: 'date-time' }) measuredAt!: string;
  @ApiProperty(measured('systolic')) systolic!: number | null;
  @ApiProperty(measured('diastolic')) diastolic!: number | null;
  @ApiProperty(measured('heartRate')) heartRate!: number | null;
  @ApiProperty(measured('spo2')) spo2!: number | null;
  @ApiProperty(measured('respiratoryRate')) respiratoryRate!: number | null;
  @ApiProperty(measured('moaas')) moaas!: number | null;
  @ApiProperty({ enum: BREACH_LEVELS }) breachLevel!: BreachLevel;
}

class BoardAlertDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ALERT_MEASURES }) measure!: AlertMeasure;
  @ApiProperty({ enum: ALERT_LEVELS }) level!: AlertLevel;
  @ApiProperty({ enum: ALERT_STATUSES }) status!: AlertStatus;
  @ApiProperty() message!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
}

export class BoardEntryDto {
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty({ type: BoardPatientDto }) patient!: BoardPatientDto;
  @ApiProperty() protocol!: string;
  @ApiProperty({ enum: SESSION_STATUSES }) status!: string;
  @ApiProperty(nullable('string')) chairLabel!: string | null;
  @ApiProperty(nullable('string', 'uuid')) anesthesiologistUserId!: string | null;
  @ApiProperty(nullable('number')) doseMg!: number | null;
  @ApiProperty(nullable('number')) rateMlPerH!: number | null;
  @ApiProperty({ ...nullable('number'), description: 'minutes since check-in' }) elapsedMin!: number | null;
  @ApiProperty({ type: BoardObservationDto }) observation!: BoardObservationDto;
  @ApiProperty({ type: BoardVitalsDto, nullable: true, description: 'latest reading with its breach level' })
  latestVitals!: BoardVitalsDto | null;
  @ApiProperty({ type: [BoardAlertDto] }) openAlerts!: BoardAlertDto[];
}
