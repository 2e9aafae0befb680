import { ApiProperty } from '@nestjs/swagger';
import { ALERT_MEASURES, DETAIL_READINGS, SESSION_STATUSES } from '#clinic';

const nullable = (type: 'string' | 'number' | 'boolean', format?: string) => ({ type, nullable: true, ...(format && { format }) });

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
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: 'the pre-session checklist' }) preChecks!:
    object | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'soft stops passed at start: code, reason, by',
  })
  startOverrides!: object[];
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
  measure!: string;
  @ApiProperty({ enum: ['warning', 'critical'] }) level!: 'warning' | 'critical';
  @ApiProperty({ enum: ['open', 'acknowledged', 'resolved'] }) status!: string;
  @ApiProperty() message!: string;
  @ApiProperty() readingCount!: number;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty(nullable('string', 'date-time')) acknowledgedAt!: string | null;
  @ApiProperty(nullable('string', 'uuid')) acknowledgedBy!: string | null;
  @ApiProperty(nullable('string', 'date-time')) resolvedAt!: string | null;
  @ApiProperty(nullable('string', 'uuid')) resolvedBy!: string | null;
  @ApiProperty(nullable('string')) resolutionNote!: string | null;
  @ApiProperty({ description: '0 none, 1 the session’s anesthesiologist, 2 every anesthesiologist' }) escalationLevel!: number;
  @ApiProperty(nullable('string', 'date-time')) escalatedAt!: string | null;
}

export class TimelineEntryDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: ['event', 'vitals', 'alert'] }) kind!: string;
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
  @ApiProperty() measure!: string;
  @ApiProperty({ enum: ['warning', 'critical'] }) level!: string;
  @ApiProperty({ enum: ['high', 'low', 'rise', 'drop'] }) rule!: string;
  @ApiProperty() value!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() message!: string;
}

export class ReadingDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty({ format: 'date-time' }) measuredAt!: string;
  @ApiProperty({ enum: ['manual', 'device'] }) source!: string;
  @ApiProperty(nullable('string')) deviceId!: string | null;
  @ApiProperty({ enum: ['pre-dose', 'dosing', 'observation'] }) phase!: string;
  @ApiProperty(nullable('number')) systolic!: number | null;
  @ApiProperty(nullable('number')) diastolic!: number | null;
  @ApiProperty(nullable('number')) heartRate!: number | null;
  @ApiProperty(nullable('number')) spo2!: number | null;
  @ApiProperty(nullable('number')) respiratoryRate!: number | null;
  @ApiProperty(nullable('number')) temperatureC!: number | null;
  @ApiProperty(nullable('number')) moaas!: number | null;
  @ApiProperty({ enum: ['none', 'warning', 'critical'] }) breachLevel!: string;
  @ApiProperty({ type: [BreachDto] }) breaches!: BreachDto[];
  @ApiProperty({ description: 'the session’s baseline set' }) baseline!: boolean;
  @ApiProperty({ description: 'a resent device reading: nothing new was stored' }) duplicate!: boolean;
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

class BoardAlertDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() measure!: string;
  @ApiProperty() level!: string;
  @ApiProperty() status!: string;
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
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: 'latest reading with its breach level' })
  latestVitals!: object | null;
  @ApiProperty({ type: [BoardAlertDto] }) openAlerts!: BoardAlertDto[];
}
