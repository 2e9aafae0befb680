import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { DEVICE_FIELDS, STORED_UNITS, type DeviceField } from '#clinic';
import { OptionalNotNull } from '../http/dto.js';

const nullable = (type: 'string' | 'number', format?: string) => ({ type, nullable: true, ...(format && { format }) });
/** One HL7 component: no separator of HL7's in it. */
const COMPONENT = /^[^|^~\\&\r\n]+$/;

export class GatewayDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'MSH-3 as sent (components joined with ^)' }) sendingApplication!: string;
  @ApiProperty({ description: 'MSH-4 as sent' }) sendingFacility!: string;
  @ApiProperty({ ...nullable('string', 'uuid'), description: 'null until a message of a registered monitor (or your edit) tells it' })
  clinicId!: string | null;
  @ApiProperty({ ...nullable('string'), description: 'IANA zone of times sent without an offset; null: the clinic’s' })
  timeZone!: string | null;
  @ApiProperty({ type: [String], description: 'MSH-11 processing ids taken from it' }) processingIds!: string[];
  @ApiProperty({ format: 'date-time' }) firstSeenAt!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'when it was last heard from, to the second (the first message of each second is recorded)',
  })
  lastSeenAt!: string;
  @ApiProperty({ ...nullable('string'), description: 'the TCP peer (address:port) of the message recorded in lastSeenAt' })
  lastPeer!: string | null;
  @ApiProperty({ description: 'its latest messages in a row stamped (MSH-7) more than 5 minutes off their arrival; 0: in step' })
  clockDriftMessages!: number;
  @ApiProperty({ ...nullable('string', 'date-time'), description: 'when the drift began' }) clockDriftSince!: string | null;
  @ApiProperty({ ...nullable('number'), description: 'the last difference seen, seconds (positive: its clock is ahead)' })
  clockDriftSec!: number | null;
  @ApiProperty({ ...nullable('string', 'date-time'), description: 'when administrators were told of this drift (3 messages in a row)' })
  clockDriftWarnedAt!: string | null;
}

export class GatewayPageDto {
  @ApiProperty({ type: [GatewayDto], description: 'in the order first heard from' }) items!: GatewayDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class EditGatewayDto {
  @ApiProperty({
    ...nullable('string'),
    example: 'America/New_York',
    description: 'the IANA zone its times without an offset are read in; null: the clinic’s',
  })
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(64)
  timeZone!: string | null;
}

export class GatewayMapParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() mapId!: string;
}

const reasonDoc = { description: 'why (kept with the mapping and in the audit trail)' };

export class SetCodeMapDto {
  @ApiProperty({ example: 'MDIL', description: 'the coding system of OBX-3.3 (stored upper-case)' })
  @IsString()
  @MaxLength(40)
  @Matches(COMPONENT, { message: 'system must be one HL7 component (no | ^ ~ \\ &)' })
  system!: string;
  @ApiProperty({ example: '0002-4a05', description: 'the code of OBX-3.1' })
  @IsString()
  @MaxLength(40)
  @Matches(COMPONENT, { message: 'code must be one HL7 component (no | ^ ~ \\ &)' })
  code!: string;
  @ApiPropertyOptional({ ...nullable('string'), example: 'NBPs', description: 'OBX-3.2, matched when a message leaves the code out' })
  @IsOptional()
  @MaxLength(80)
  @Matches(COMPONENT, { message: 'refid must be one HL7 component (no | ^ ~ \\ &)' })
  refid?: string | null;
  @ApiProperty({
    type: String,
    enum: DEVICE_FIELDS,
    nullable: true,
    description: 'the reading field it fills (its unit is the field’s); null: known, not charted',
  })
  @ValidateIf((_o, v) => v !== null)
  @IsIn(DEVICE_FIELDS)
  field!: DeviceField | null;
  @ApiPropertyOptional({
    default: 10,
    minimum: 1,
    maximum: 1000,
    description: 'two codes filling one field at one time: the lower is charted',
  })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(1000)
  priority?: number;
  @ApiProperty(reasonDoc) @IsString() @MinLength(3) @MaxLength(2000) reason!: string;
}

export class SetUnitMapDto {
  @ApiProperty({ example: 'mm Hg', description: 'the unit as the gateway writes it in OBX-6 (its code, else its text)' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  @Matches(COMPONENT, { message: 'unit must be one HL7 component (no | ^ ~ \\ &)' })
  unit!: string;
  @ApiProperty({ enum: STORED_UNITS, description: 'the unit of the field it converts to' }) @IsIn(STORED_UNITS) toUnit!: string;
  @ApiPropertyOptional({ default: 1, description: 'value stored = value sent × factor + addend' })
  @OptionalNotNull()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-1e6)
  @Max(1e6)
  factor?: number;
  @ApiPropertyOptional({ default: 0 })
  @OptionalNotNull()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-1e6)
  @Max(1e6)
  addend?: number;
  @ApiProperty(reasonDoc) @IsString() @MinLength(3) @MaxLength(2000) reason!: string;
}

export class CodeMapDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ ...nullable('string', 'uuid'), description: 'null: one of Vigil’s defaults' }) gatewayId!: string | null;
  @ApiProperty() system!: string;
  @ApiProperty() code!: string;
  @ApiProperty(nullable('string')) refid!: string | null;
  @ApiProperty({ type: String, enum: DEVICE_FIELDS, nullable: true }) field!: string | null;
  @ApiProperty(nullable('string')) unit!: string | null;
  @ApiProperty() priority!: number;
  @ApiProperty() source!: string;
  @ApiProperty({ description: 'a default this gateway’s own row replaces' }) overridden!: boolean;
}

export class CodeMapListDto {
  @ApiProperty({ type: [CodeMapDto], description: 'the gateway’s own rows, then Vigil’s defaults' }) items!: CodeMapDto[];
}

export class UnitMapDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ ...nullable('string', 'uuid'), description: 'null: one of Vigil’s defaults' }) gatewayId!: string | null;
  @ApiProperty() unit!: string;
  @ApiProperty({ enum: STORED_UNITS }) toUnit!: string;
  @ApiProperty() factor!: number;
  @ApiProperty() addend!: number;
  @ApiProperty() source!: string;
  @ApiProperty({ description: 'a default this gateway’s own row replaces' }) overridden!: boolean;
}

export class UnitMapListDto {
  @ApiProperty({ type: [UnitMapDto], description: 'the gateway’s own rows, then Vigil’s defaults' }) items!: UnitMapDto[];
}
