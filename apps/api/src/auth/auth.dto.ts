import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '#platform';

export class LoginDto {
  @ApiProperty({ example: 'nurse@clinic.example' })
  @IsEmail({ require_tld: false })
  @MaxLength(320)
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  refreshToken!: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) clinicId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() active!: boolean;
  @ApiProperty({
    description: 'the password was set by an administrator: only /auth/me and /auth/password answer until the user changes it',
  })
  passwordChangeRequired!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastLoginAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty() version!: number;
}

export class SessionTokensDto {
  @ApiProperty({ description: 'JWT for the Authorization header; lives ACCESS_TOKEN_TTL_MIN minutes' }) accessToken!: string;
  @ApiProperty({ format: 'date-time' }) accessTokenExpiresAt!: string;
  @ApiProperty({ description: 'Exchange at /auth/refresh; each refresh token works once' }) refreshToken!: string;
  @ApiProperty({ format: 'date-time' }) refreshTokenExpiresAt!: string;
  @ApiProperty({ type: UserDto }) user!: UserDto;
}

export class ClinicSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'IANA time zone of the clinic’s days, opening hours and local times', example: 'America/New_York' })
  timeZone!: string;
}

export class MeDto extends UserDto {
  @ApiProperty({ type: ClinicSummaryDto }) clinic!: ClinicSummaryDto;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  currentPassword!: string;

  @ApiProperty({ minLength: 12, format: 'password', description: 'at least 12 characters, not the current one' })
  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  newPassword!: string;
}
