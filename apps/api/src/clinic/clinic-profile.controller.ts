import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { ClinicProfileService } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { OptionalNotNull } from '../http/dto.js';

export class ClinicProfileDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'IANA time zone: opening hours, calendar days and local times are read in it', example: 'America/New_York' })
  timeZone!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class EditClinicProfileDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    example: 'America/Chicago',
    description: 'an IANA time zone; refused (409 BOOKINGS_WOULD_MOVE) while a future booking would fall at another local time in it',
  })
  @OptionalNotNull()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiProperty({ description: 'the version you read; 409 STALE_VERSION when the profile changed meanwhile' })
  @IsInt()
  @Min(1)
  version!: number;
}

/** The clinic's profile: its name and time zone (administrators). */
@ApiTags('clinic settings')
@ApiBearerAuth()
@Roles('admin')
@Controller('clinic')
export class ClinicProfileController {
  constructor(private readonly profile: ClinicProfileService) {}

  @Get()
  @ApiOkResponse({ type: ClinicProfileDto })
  get(@CurrentActor() actor: Actor): Promise<ClinicProfileDto> {
    return this.profile.get(actor);
  }

  @Patch()
  @ApiOkResponse({ type: ClinicProfileDto, description: 'audited with the name and zone before and after' })
  edit(@CurrentActor() actor: Actor, @Body() body: EditClinicProfileDto): Promise<ClinicProfileDto> {
    return this.profile.edit(actor, body);
  }
}
