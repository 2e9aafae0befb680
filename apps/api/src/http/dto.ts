import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { ROLES, type Role } from '#platform';
import { IsInt, isISO8601, IsOptional, IsString, IsUUID, Max, Min, ValidateBy, ValidateIf } from 'class-validator';

/** `?limit=&cursor=` of every list (api.md). */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class IdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

/** `true`/`false` in a query string. */
export const BooleanFromQuery = () =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

/** One bad field (`field`), or one unmet rule (`code`, with facts of its own, e.g. the consent `kind` missing). */
export class ErrorDetailDto {
  @ApiPropertyOptional({ description: 'the bad field’s path, e.g. readings[3].systolic' }) field?: string;
  @ApiPropertyOptional({ description: 'the unmet rule' }) code?: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ description: 'false: a hard stop; true: a soft stop its overrideRole may pass' }) overridable?: boolean;
  @ApiPropertyOptional({ enum: ROLES }) overrideRole?: Role;
}

export class ErrorDto {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'VALIDATION_FAILED' }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: [ErrorDetailDto] }) details!: ErrorDetailDto[];
  @ApiProperty() requestId!: string;
}

/** An optional timestamp of a body as a Date (undefined when not given). */
export const optionalDate = (iso: string | null | undefined): Date | undefined => (iso ? new Date(iso) : undefined);

/** Optional, but when present must not be null (for fields the record cannot be without). */
export const OptionalNotNull = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

const OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 timestamp with its offset (api.md), e.g. 2026-11-21T09:30:00-05:00. */
export const isTimestamp = (value: unknown): value is string =>
  typeof value === 'string' && isISO8601(value, { strict: true, strictSeparator: true }) && OFFSET.test(value);

/** An ISO-8601 timestamp with its offset (api.md): one rule, one message. */
export const IsTimestamp = () =>
  ValidateBy({
    name: 'isTimestamp',
    validator: {
      validate: isTimestamp,
      defaultMessage: () => '$property must be an ISO-8601 timestamp with its offset (Z or ±hh:mm), e.g. 2026-11-21T09:30:00-05:00',
    },
  });

/** A calendar date YYYY-MM-DD that exists (no 2026-02-30): one rule, one message. */
export const IsCalendarDate = () =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && isISO8601(value, { strict: true }),
      defaultMessage: () => '$property must be a real calendar date YYYY-MM-DD',
    },
  });

/**
 * A calendar date (as IsCalendarDate) between `from` and `to` inclusive (YYYY-MM-DD): dates far
 * outside Vigil's use (year 9999, year 1) are refused here rather than overflowing date arithmetic.
 */
export const IsCalendarDateBetween = (from: string, to: string) =>
  applyDecorators(
    IsCalendarDate(),
    ValidateBy({
      name: 'calendarDateBetween',
      constraints: [from, to],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value >= from && value <= to,
        defaultMessage: () => `$property must be between ${from} and ${to}`,
      },
    }),
  );

/**
 * At most `places` decimals. class-validator's own `maxDecimalPlaces` throws on numbers written
 * with an exponent (5e-324), which would be a 500; this one just refuses them.
 */
export const MaxDecimals = (places: number) =>
  ValidateBy({
    name: 'maxDecimals',
    constraints: [places],
    validator: {
      validate: (value: unknown) => hasAtMostDecimals(value, places),
      defaultMessage: () => `$property must have at most ${places} decimal places`,
    },
  });

/** A finite number with at most `places` decimals (numbers written with an exponent are refused, never thrown on). */
export function hasAtMostDecimals(value: unknown, places: number): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  const scaled = value * 10 ** places;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, Math.abs(scaled));
}
