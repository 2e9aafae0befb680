import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PasswordsService, Roles, UsersService, type Actor } from '#platform';
import { UserDto } from '../auth/auth.dto.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam } from '../http/dto.js';
import { CreateUserDto, ListUsersQuery, PasswordResetDto, UnlockedDto, UpdateUserDto, UserPageDto } from './users.dto.js';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: UserDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserDto): Promise<UserDto> {
    return this.users.create(actor, body);
  }

  @Get()
  @ApiOkResponse({ type: UserPageDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListUsersQuery): Promise<UserPageDto> {
    return this.users.list(actor, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  get(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<UserDto> {
    return this.users.get(actor, params.id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  update(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: UpdateUserDto): Promise<UserDto> {
    return this.users.update(actor, params.id, body);
  }

  /** A temporary password for another user (answered once): their logins end, and they must change it at their next sign-in. */
  @Post(':id/reset-password')
  @HttpCode(200)
  @ApiOkResponse({ type: PasswordResetDto })
  resetPassword(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<PasswordResetDto> {
    return this.passwords.reset(actor, params.id);
  }

  /** Lifts the login back-off of the account, from every address. */
  @Post(':id/unlock')
  @HttpCode(200)
  @ApiOkResponse({ type: UnlockedDto })
  unlock(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<UnlockedDto> {
    return this.passwords.unlock(actor, params.id);
  }
}
