import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LedgerDisposalsService } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam, optionalDate, PageQuery } from '../http/dto.js';
import { DestructionDto, DisposalPageDto, DisposalViewDto, TransferDto } from './disposals.dto.js';

const REFUSALS =
  '422 CS_TWO_WITNESSES_REQUIRED, CS_WITNESSES_SAME, WITNESS_IS_ACTOR, WITNESS_NOT_VERIFIED, CS_CONTAINER_CLOSED, CS_CONTAINER_EMPTY, CS_DISCREPANCY_OPEN';

/** Stock destroyed on site (DEA Form 41) or handed to a reverse distributor: the containers close out. */
@ApiTags('controlled substances')
@ApiBearerAuth()
@Controller('ledger')
export class LedgerDisposalsController {
  constructor(private readonly disposals: LedgerDisposalsService) {}

  @Post('destructions')
  @Roles('anesthesiologist')
  @ApiCreatedResponse({ type: DisposalViewDto, description: `the DEA Form 41 record, two witnesses signing; ${REFUSALS}` })
  destroy(@CurrentActor() actor: Actor, @Body() b: DestructionDto): Promise<DisposalViewDto> {
    return this.disposals.destroy(actor, { ...b, occurredAt: optionalDate(b.occurredAt) });
  }

  @Post('transfers')
  @Roles('anesthesiologist')
  @ApiCreatedResponse({ type: DisposalViewDto, description: `a transfer to a reverse distributor, two witnesses signing; ${REFUSALS}` })
  transfer(@CurrentActor() actor: Actor, @Body() b: TransferDto): Promise<DisposalViewDto> {
    return this.disposals.transfer(actor, { ...b, occurredAt: optionalDate(b.occurredAt) });
  }

  @Get('disposals')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: DisposalPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: PageQuery): Promise<DisposalPageDto> {
    return this.disposals.list(actor, q);
  }

  @Get('disposals/:id')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: DisposalViewDto, description: 'with the lines of DEA Form 41' })
  get(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<DisposalViewDto> {
    return this.disposals.get(actor, p.id);
  }
}
