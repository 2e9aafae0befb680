import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LedgerCustodyService, LedgerWasteCountService } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam } from '../http/dto.js';
import {
  ContainerReasonDto,
  CountDto,
  CountResultDto,
  DiscrepancyDto,
  DiscrepancyPageDto,
  DiscrepancyQuery,
  ResolveDiscrepancyDto,
  WasteDto,
} from './custody.dto.js';
import { ContainerDto, LedgerEventDto } from './stock.dto.js';

const witnessed = <T extends { witnessUserId: string; witnessPassword: string; occurredAt?: string }>(b: T) => {
  const { witnessUserId, witnessPassword, occurredAt, ...rest } = b;
  return {
    ...rest,
    witness: { userId: witnessUserId, password: witnessPassword },
    occurredAt: occurredAt ? new Date(occurredAt) : undefined,
  };
};

/** Waste and counts at the cabinet (witnessed), discrepancies and quarantine (anesthesiologists). */
@ApiTags('controlled substances')
@ApiBearerAuth()
@Controller('ledger')
export class LedgerCustodyController {
  constructor(
    private readonly wasteCount: LedgerWasteCountService,
    private readonly custody: LedgerCustodyService,
  ) {}

  @Post('waste')
  @Roles('nurse', 'anesthesiologist')
  @ApiCreatedResponse({
    type: LedgerEventDto,
    description: '422 WITNESS_IS_ACTOR, WITNESS_NOT_VERIFIED, CS_WASTE_EXCEEDS_LEFTOVER, CS_SESSION_NOT_RECONCILED, CS_BALANCE_NEGATIVE…',
  })
  waste(@CurrentActor() actor: Actor, @Body() b: WasteDto): Promise<LedgerEventDto> {
    return this.wasteCount.waste(actor, witnessed(b));
  }

  @Post('counts')
  @Roles('nurse', 'anesthesiologist')
  @ApiCreatedResponse({ type: CountResultDto, description: 'a blind count, witnessed; a variance opens a discrepancy' })
  count(@CurrentActor() actor: Actor, @Body() b: CountDto): Promise<CountResultDto> {
    return this.wasteCount.count(actor, witnessed(b));
  }

  @Get('discrepancies')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: DiscrepancyPageDto })
  discrepancies(@CurrentActor() actor: Actor, @Query() q: DiscrepancyQuery): Promise<DiscrepancyPageDto> {
    return this.custody.discrepancies(actor, q);
  }

  @Post('discrepancies/:id/resolve')
  @HttpCode(200)
  @Roles('anesthesiologist')
  @ApiOkResponse({ type: DiscrepancyDto, description: '409 ALREADY_RESOLVED' })
  resolve(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: ResolveDiscrepancyDto): Promise<DiscrepancyDto> {
    return this.custody.resolve(actor, p.id, b);
  }

  @Post('containers/:id/quarantine')
  @HttpCode(200)
  @Roles('anesthesiologist')
  @ApiOkResponse({ type: ContainerDto, description: 'nothing is drawn from it until released; 409 CONTAINER_STATE' })
  quarantine(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: ContainerReasonDto): Promise<ContainerDto> {
    return this.custody.quarantine(actor, p.id, b.reason);
  }

  @Post('containers/:id/release')
  @HttpCode(200)
  @Roles('anesthesiologist')
  @ApiOkResponse({ type: ContainerDto, description: '409 CONTAINER_STATE when it is not quarantined' })
  release(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: ContainerReasonDto): Promise<ContainerDto> {
    return this.custody.release(actor, p.id, b.reason);
  }
}
