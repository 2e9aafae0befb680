import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '#platform';

/** The signed-in user the guard established. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});
