import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ClosuresService } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam, IsCalendarDate, PageQuery } from '../http/dto.js';

export class CreateClosureDto {
  @ApiProperty({ format: 'date', description: 'the clinic’s local date it is closed' }) @IsCalendarDate() date!: string;
  @ApiProperty({ description: 'a holiday, staff training…' }) @IsString() @MinLength(3) @MaxLength(500) reason!: string;
}

export class ClosureQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'date', description: 'closures on or after this date' }) @IsOptional() @IsCalendarDate() from?: string;
}

export class ClosureDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date' }) date!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreatedClosureDto extends ClosureDto {
  @ApiProperty({ description: 'appointments already booked that day: they stay, to be moved by hand' }) bookedThatDay!: number;
}

export class ClosurePageDto {
  @ApiProperty({ type: [ClosureDto], description: 'soonest first' }) items!: ClosureDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

/** The clinic's closed days (holidays, closures): no booking on them; series and maintenance skip them. */
@ApiTags('scheduling')
@ApiBearerAuth()
@Roles('admin')
@Controller('closures')
export class ClosuresController {
  constructor(private readonly closures: ClosuresService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedClosureDto, description: '409 DUPLICATE_KEY when the day is already closed' })
  add(@CurrentActor() actor: Actor, @Body() b: CreateClosureDto): Promise<CreatedClosureDto> {
    return this.closures.add(actor, b);
  }

  @Get()
  @ApiOkResponse({ type: ClosurePageDto })
  list(@CurrentActor() actor: Actor, @Query() q: ClosureQuery): Promise<ClosurePageDto> {
    return this.closures.list(actor, q);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the day is open again' })
  remove(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<void> {
    return this.closures.remove(actor, p.id);
  }
}
