import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AnyRole, AuthService, Public, UsersService, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { LoginDto, RefreshDto, SessionTokensDto, UserDto } from './auth.dto.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  /** 401 INVALID_CREDENTIALS; 429 ACCOUNT_LOCKED after repeated failures or RATE_LIMITED per address. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionTokensDto })
  login(@Body() body: LoginDto): Promise<SessionTokensDto> {
    return this.auth.login(body.email, body.password);
  }

  /** Exchanges a refresh token for a new pair; a token presented twice revokes its whole family. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionTokensDto })
  refresh(@Body() body: RefreshDto, @Req() request: FastifyRequest): Promise<SessionTokensDto> {
    return this.auth.refresh(body.refreshToken, request);
  }

  /** Ends this login: its refresh tokens stop working. */
  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Body() body: RefreshDto): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  @AnyRole()
  @ApiBearerAuth()
  @Get('me')
  @ApiOkResponse({ type: UserDto })
  me(@CurrentActor() actor: Actor): Promise<UserDto> {
    return this.users.get(actor, actor.userId);
  }
}
