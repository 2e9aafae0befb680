import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ALERT_EVENT_TYPES, STREAM_END_REASONS, type StreamEndReason } from '#clinic';
import { AlertDto } from '../sessions/sessions.responses.js';

/*
 * The data of each event of GET /alerts/stream (Server-Sent Events), published in the OpenAPI
 * document as models and, by event name, in the operation's `x-stream-events`.
 */

/** raised, acknowledged, repeated, resolved: the alert as it is now. */
export class AlertEventDto extends AlertDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'resolved by a reading back within thresholds: that reading' })
  clearedByReadingId?: string;
}

/** escalated: the alert, and whom Vigil told (by email, and on their streams). */
export class AlertEscalatedEventDto extends AlertDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'the users told of the escalation' }) recipients!: string[];
}

/** observation-complete: the minimum observation of a session has passed. */
export class ObservationCompleteEventDto {
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty() message!: string;
}

/** end: the last event of a stream, and why it ended. */
export class StreamEndEventDto {
  @ApiProperty({
    enum: STREAM_END_REASONS,
    description:
      'token_expired: refresh the token and reconnect; account_changed: authenticate again; shutdown: the server is stopping; unavailable: the stream could not start, reconnect with Last-Event-ID',
  })
  reason!: StreamEndReason;
}

export const STREAM_EVENT_MODELS = [AlertEventDto, AlertEscalatedEventDto, ObservationCompleteEventDto, StreamEndEventDto];

const ref = (model: abstract new () => object) => ({ $ref: getSchemaPath(model) });

/** Each event name the stream sends → the schema of its data. */
export const STREAM_EVENTS: Record<string, { $ref: string }> = {
  ...Object.fromEntries(ALERT_EVENT_TYPES.map((type) => [type, ref(type === 'escalated' ? AlertEscalatedEventDto : AlertEventDto)])),
  'observation-complete': ref(ObservationCompleteEventDto),
  end: ref(StreamEndEventDto),
};
