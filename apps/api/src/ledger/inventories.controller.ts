import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LedgerInventoriesService } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam, optionalDate } from '../http/dto.js';
import { InventoryDto, InventoryPageDto, InventoryQuery, TakeInventoryDto } from './inventories.dto.js';

/** Inventories of a registration's stock (21 CFR 1304.11): initial, biennial, ad hoc. */
@ApiTags('controlled substances')
@ApiBearerAuth()
@Controller('ledger')
export class LedgerInventoriesController {
  constructor(private readonly inventories: LedgerInventoriesService) {}

  @Post('inventories')
  @Roles('nurse', 'anesthesiologist')
  @ApiCreatedResponse({
    type: InventoryDto,
    description:
      'every container in stock counted blind and witnessed; a line unlike the ledger opens a discrepancy; 422 CS_INITIAL_INVENTORY_FIRST, CS_INITIAL_INVENTORY_TAKEN, WITNESS_IS_ACTOR, WITNESS_NOT_VERIFIED',
  })
  take(@CurrentActor() actor: Actor, @Body() b: TakeInventoryDto): Promise<InventoryDto> {
    const { witnessUserId, witnessPassword, occurredAt, ...rest } = b;
    return this.inventories.take(actor, {
      ...rest,
      witness: { userId: witnessUserId, password: witnessPassword },
      occurredAt: optionalDate(occurredAt),
    });
  }

  @Get('inventories')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: InventoryPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: InventoryQuery): Promise<InventoryPageDto> {
    return this.inventories.list(actor, q);
  }

  @Get('inventories/:id')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: InventoryDto })
  get(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<InventoryDto> {
    return this.inventories.get(actor, p.id);
  }
}
