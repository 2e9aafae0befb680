import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { BooleanFromQuery, OptionalNotNull, PageQuery } from '../http/dto.js';

const EUI64 = /^([0-9A-Fa-f]{2}[-:]?){7}[0-9A-Fa-f]{2}$/;
/** PV1-3 as a gateway sends it: components separated by ^ (subcomponents by &), no other HL7 separator. */
const LOCATION = /^[^|~\\\r\n]*[^|~\\\r\n^& ][^|~\\\r\n]*$/;

const eui64Doc = {
  description: 'the EUI-64 the monitor sends (OBX-18 or MSH-3), 16 hexadecimal digits (dashes or colons allowed); unique across Vigil',
  example: '0009FBFFFE4A1C20',
};
const locationDoc = {
  description:
    'the bed location its gateway sends in PV1-3, `point of care^room^bed^facility` (e.g. INFUSION^^CHAIR-03^MAIN); the components given must match, case aside',
  example: 'INFUSION^^CHAIR-03',
};

export class RegisterMonitorDto {
  @ApiProperty({ example: 'Chair 3 monitor' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiProperty({ format: 'uuid', description: 'the chair it stands at' }) @IsUUID() chairId!: string;
  @ApiPropertyOptional({ ...eui64Doc, type: String, nullable: true })
  @IsOptional()
  @Matches(EUI64, { message: 'eui64 must be 16 hexadecimal digits' })
  eui64?: string | null;
  @ApiPropertyOptional({ ...locationDoc, type: String, nullable: true })
  @IsOptional()
  @MaxLength(200)
  @Matches(LOCATION, { message: 'location must be PV1-3 components separated by ^, with something in them' })
  location?: string | null;
}

export class UpdateMonitorDto {
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'moved to another chair' }) @OptionalNotNull() @IsUUID() chairId?: string;
  @ApiPropertyOptional({ ...eui64Doc, type: String, nullable: true, description: `${eui64Doc.description}; null removes it` })
  @IsOptional()
  @Matches(EUI64, { message: 'eui64 must be 16 hexadecimal digits' })
  eui64?: string | null;
  @ApiPropertyOptional({ ...locationDoc, type: String, nullable: true, description: `${locationDoc.description}; null removes it` })
  @IsOptional()
  @MaxLength(200)
  @Matches(LOCATION, { message: 'location must be PV1-3 components separated by ^, with something in them' })
  location?: string | null;
  @ApiPropertyOptional({ description: 'the version you read (409 STALE_VERSION if it changed since)' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class RetireMonitorDto {
  @ApiProperty({ description: 'why it is taken out of use' }) @IsString() @MinLength(3) @MaxLength(2000) reason!: string;
}

export class MonitorQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @OptionalNotNull() @IsUUID() chairId?: string;
  @ApiPropertyOptional({ description: 'true: in use; false: retired; absent: both' })
  @IsOptional()
  @BooleanFromQuery()
  @IsBoolean()
  active?: boolean;
}

export class MonitorDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) chairId!: string;
  @ApiProperty({ type: String, nullable: true, description: '16 upper-case hexadecimal digits' }) eui64!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'PV1-3 as compared: upper-case, trimmed' }) location!: string | null;
  @ApiProperty({ description: 'false once retired' }) active!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) retiredAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) retiredBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) retireReason!: string | null;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() version!: number;
}

export class MonitorPageDto {
  @ApiProperty({ type: [MonitorDto], description: 'by name' }) items!: MonitorDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
