import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AllowsTemporaryPassword, AnyRole, AuthService, PasswordsService, Public, UsersService, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { ErrorDto } from '../http/dto.js';
import { ChangePasswordDto, LoginDto, MeDto, RefreshDto, SessionTokensDto } from './auth.dto.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
  ) {}

  /** 401 INVALID_CREDENTIALS; 429 ACCOUNT_LOCKED after repeated failures or RATE_LIMITED per address. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionTokensDto })
  @ApiUnauthorizedResponse({ type: ErrorDto, description: 'INVALID_CREDENTIALS (an unknown email alike), ACCOUNT_INACTIVE' })
  @ApiTooManyRequestsResponse({ type: ErrorDto, description: 'RATE_LIMITED, with Retry-After' })
  login(@Body() body: LoginDto): Promise<SessionTokensDto> {
    return this.auth.login(body.email, body.password);
  }

  /** Exchanges a refresh token for a new pair; a token presented twice revokes its whole family. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionTokensDto })
  @ApiUnauthorizedResponse({
    type: ErrorDto,
    description: 'REFRESH_TOKEN_INVALID, REFRESH_TOKEN_REUSED (its whole family revoked), TOKEN_EXPIRED',
  })
  refresh(@Body() body: RefreshDto, @Req() request: FastifyRequest): Promise<SessionTokensDto> {
    return this.auth.refresh(body.refreshToken, request);
  }

  /** Ends this login: its refresh tokens stop working. */
  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the login has ended' })
  async logout(@Body() body: RefreshDto): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  /** Who the token belongs to, and their clinic (its name and time zone). */
  @AnyRole()
  @AllowsTemporaryPassword()
  @ApiBearerAuth()
  @Get('me')
  @ApiOkResponse({ type: MeDto })
  me(@CurrentActor() actor: Actor): Promise<MeDto> {
    return this.users.me(actor);
  }

  /**
   * Changes the caller's own password (400 naming currentPassword when it is wrong; wrong ones count
   * toward the login back-off, 429). This login goes on; every other login of the user and their
   * alert streams end.
   */
  @AnyRole()
  @AllowsTemporaryPassword()
  @ApiBearerAuth()
  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'changed' })
  async changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordDto): Promise<void> {
    await this.passwords.changeOwn(actor, body.currentPassword, body.newPassword);
  }
}
