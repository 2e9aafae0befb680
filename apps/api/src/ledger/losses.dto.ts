import { CS_UNITS, type CsUnit, LOSS_KINDS, LOSS_STATUSES, type LossKind, type LossStatus } from '#clinic';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsTimestamp, MaxDecimals, OptionalNotNull, PageQuery } from '../http/dto.js';
import { LedgerDate } from './registry.dto.js';

export class ReportLossDto {
  @ApiProperty({ enum: LOSS_KINDS }) @IsIn(LOSS_KINDS) kind!: LossKind;
  @ApiProperty({ format: 'date-time', description: 'when it was discovered: both deadlines count from here' })
  @IsTimestamp()
  discoveredAt!: string;
  @ApiProperty({ description: 'what happened, as the Form 106 will tell it' })
  @IsString()
  @MinLength(10)
  @MaxLength(5000)
  narrative!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'required when no container is named' })
  @OptionalNotNull()
  @IsUUID()
  registrationId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the container it was taken from: its balance drops by a loss event' })
  @OptionalNotNull()
  @IsUUID()
  containerId?: string;
  @ApiPropertyOptional({ description: 'with containerId: what was lost, in its unit' })
  @OptionalNotNull()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(3)
  @Min(0.001)
  @Max(10_000)
  quantity?: number;
  @ApiPropertyOptional({ enum: CS_UNITS }) @OptionalNotNull() @IsIn(CS_UNITS) unit?: CsUnit;
}

export class LossNoticeDto {
  @ApiProperty({ format: 'date-time', description: 'when the written notice was sent to the DEA field office' })
  @IsTimestamp()
  notifiedAt!: string;
  @ApiProperty({ description: 'how, and its reference (letter, fax, email)' }) @IsString() @MinLength(3) @MaxLength(500) reference!: string;
}

export class Form106Dto {
  @ApiProperty({ format: 'date-time' }) @IsTimestamp() filedAt!: string;
  @ApiProperty({ description: 'the confirmation number the DEA’s site gave' })
  @IsString()
  @MinLength(3)
  @MaxLength(100)
  confirmationNumber!: string;
}

export class HolidayDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date' }) date!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreateHolidayDto {
  @ApiProperty({ format: 'date' }) @LedgerDate() date!: string;
  @ApiProperty({ example: 'Thanksgiving Day' }) @IsString() @MinLength(2) @MaxLength(200) name!: string;
}

export class HolidayQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'date', description: 'holidays on or after this date' }) @IsOptional() @LedgerDate() from?: string;
}

export class HolidayPageDto {
  @ApiProperty({ type: [HolidayDto], description: 'soonest first' }) items!: HolidayDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class LossItemDto {
  @ApiProperty() ndc!: string;
  @ApiProperty() product!: string;
  @ApiProperty() lot!: string;
  @ApiProperty() container!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() unit!: string;
  @ApiProperty() mg!: number;
}

export class Form106WorksheetDto {
  @ApiProperty() registrantName!: string;
  @ApiProperty() deaNumber!: string;
  @ApiProperty() registeredAddress!: string;
  @ApiProperty({ enum: LOSS_KINDS }) kindOfLoss!: LossKind;
  @ApiProperty({ format: 'date-time' }) discoveredAt!: string;
  @ApiProperty({ type: [LossItemDto] }) items!: LossItemDto[];
  @ApiProperty() narrative!: string;
}

export class LossDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) registrationId!: string;
  @ApiProperty({ enum: LOSS_KINDS }) kind!: LossKind;
  @ApiProperty({ format: 'date-time' }) discoveredAt!: string;
  @ApiProperty() narrative!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) containerId!: string | null;
  @ApiProperty({ type: Number, nullable: true }) quantity!: number | null;
  @ApiProperty({ type: String, enum: CS_UNITS, nullable: true }) unit!: CsUnit | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) lossEventId!: string | null;
  @ApiProperty({ enum: LOSS_STATUSES }) status!: LossStatus;
  @ApiProperty({ format: 'date-time', description: 'the end of the next business day after discovery, in the clinic’s zone' })
  noticeDueAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) notifiedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) noticeReference!: string | null;
  @ApiProperty({ format: 'date-time', description: 'the end of the 45th day after discovery' }) form106DueAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) form106FiledAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) form106Number!: string | null;
  @ApiProperty({ format: 'uuid' }) reportedBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: Form106WorksheetDto }) worksheet!: Form106WorksheetDto;
}

export class LossPageDto {
  @ApiProperty({ type: [LossDto], description: 'newest first' }) items!: LossDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
