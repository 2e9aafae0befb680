import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles, UsersService, type Actor } from '#platform';
import { UserDto } from '../auth/auth.dto.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam } from '../http/dto.js';
import { CreateUserDto, ListUsersQuery, UpdateUserDto, UserPageDto } from './users.dto.js';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

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
}
