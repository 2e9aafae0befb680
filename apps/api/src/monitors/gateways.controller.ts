import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { GatewayMapsService, Hl7GatewaysService } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam, PageQuery } from '../http/dto.js';
import {
  CodeMapDto,
  CodeMapListDto,
  EditGatewayDto,
  GatewayDto,
  GatewayMapParams,
  GatewayPageDto,
  SetCodeMapDto,
  SetUnitMapDto,
  UnitMapDto,
  UnitMapListDto,
} from './gateways.dto.js';

/**
 * The monitor gateways Vigil has heard from, for administrators: their clock, the zone their times
 * without an offset are read in, and their own code and unit mappings (read before Vigil's defaults).
 */
@ApiTags('monitors')
@ApiBearerAuth()
@Roles('admin')
@Controller('hl7-gateways')
export class GatewaysController {
  constructor(
    private readonly gateways: Hl7GatewaysService,
    private readonly maps: GatewayMapsService,
  ) {}

  @Get()
  @ApiOkResponse({ type: GatewayPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: PageQuery): Promise<GatewayPageDto> {
    return this.gateways.list(actor, q);
  }

  @Patch(':id')
  @ApiOkResponse({ type: GatewayDto, description: 'audited with the zone before and after; the gateway becomes your clinic’s' })
  edit(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: EditGatewayDto): Promise<GatewayDto> {
    return this.gateways.setTimeZone(actor, p.id, b.timeZone);
  }

  @Get(':id/code-maps')
  @ApiOkResponse({ type: CodeMapListDto })
  async codeMaps(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<CodeMapListDto> {
    return { items: await this.maps.codeMaps(actor, p.id) };
  }

  @Post(':id/code-maps')
  @ApiCreatedResponse({
    type: CodeMapDto,
    description: 'the gateway’s row for that code, added or replaced; audited with before and after',
  })
  setCodeMap(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: SetCodeMapDto): Promise<CodeMapDto> {
    return this.maps.setCodeMap(actor, p.id, b);
  }

  @Delete(':id/code-maps/:mapId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the default for that code (or "unknown, kept raw") applies again; audited' })
  removeCodeMap(@CurrentActor() actor: Actor, @Param() p: GatewayMapParams): Promise<void> {
    return this.maps.removeMap(actor, p.id, 'code', p.mapId);
  }

  @Get(':id/unit-maps')
  @ApiOkResponse({ type: UnitMapListDto })
  async unitMaps(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<UnitMapListDto> {
    return { items: await this.maps.unitMaps(actor, p.id) };
  }

  @Post(':id/unit-maps')
  @ApiCreatedResponse({
    type: UnitMapDto,
    description: 'the gateway’s row for that unit, added or replaced; audited with before and after',
  })
  setUnitMap(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: SetUnitMapDto): Promise<UnitMapDto> {
    return this.maps.setUnitMap(actor, p.id, b);
  }

  @Delete(':id/unit-maps/:mapId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the default for that unit (or "unknown unit") applies again; audited' })
  removeUnitMap(@CurrentActor() actor: Actor, @Param() p: GatewayMapParams): Promise<void> {
    return this.maps.removeMap(actor, p.id, 'unit', p.mapId);
  }
}
