import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { ROLES, type Role } from '#platform';
import { UserDto } from '../auth/auth.dto.js';
import { BooleanFromQuery, OptionalNotNull, PageQuery } from '../http/dto.js';

export class CreateUserDto {
  @ApiProperty()
  @IsEmail({ require_tld: false })
  @MaxLength(320)
  email!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({ minLength: 12, format: 'password' })
  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  password!: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @OptionalNotNull()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'false deactivates the account and revokes its refresh tokens' })
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ minLength: 12, format: 'password' })
  @OptionalNotNull()
  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  password?: string;

  @ApiProperty({ minimum: 1, description: 'the version you read (required); 409 STALE_VERSION when it changed meanwhile' })
  @IsInt()
  @Min(1)
  version!: number;
}

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @BooleanFromQuery()
  @IsBoolean()
  active?: boolean;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] }) items!: UserDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class PasswordResetDto {
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty({ description: 'shown once: hand it to the user, who must replace it at their first sign-in' }) temporaryPassword!: string;
}

export class UnlockedDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ description: 'client addresses whose failed-login count on this account was cleared' }) clearedAddresses!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'the latest back-off lifted, if one was still running' })
  heldBackUntil!: string | null;
}
