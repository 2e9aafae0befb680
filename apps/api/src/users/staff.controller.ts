import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AnyRole, ROLES, UsersService, type Actor, type Role } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { PageQuery } from '../http/dto.js';

export class StaffQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}

export class StaffMemberDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
}

export class StaffPageDto {
  @ApiProperty({ type: [StaffMemberDto] }) items!: StaffMemberDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

/**
 * The clinic's active staff for everyone signed in: the names clinical staff pick an
 * anesthesiologist, a prescriber or a witness from. Names and roles only; the accounts (emails,
 * sign-ins, inactive users) stay at /users, the administrators'.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('staff')
export class StaffController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @AnyRole()
  @ApiOkResponse({ type: StaffPageDto, description: 'active staff in the order created; `?role=` narrows to one role' })
  list(@CurrentActor() actor: Actor, @Query() query: StaffQuery): Promise<StaffPageDto> {
    return this.users.directory(actor, query);
  }
}
