import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MonitorsService } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam } from '../http/dto.js';
import { MonitorDto, MonitorPageDto, MonitorQuery, RegisterMonitorDto, RetireMonitorDto, UpdateMonitorDto } from './monitors.dto.js';

/** Bedside monitors and the chairs they stand at: administrators register, edit and retire them; clinical staff read them. */
@ApiTags('monitors')
@ApiBearerAuth()
@Controller('monitors')
export class MonitorsController {
  constructor(private readonly monitors: MonitorsService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: MonitorDto, description: '409 DUPLICATE_KEY naming the EUI-64, location or name another active monitor has' })
  register(@CurrentActor() actor: Actor, @Body() b: RegisterMonitorDto): Promise<MonitorDto> {
    return this.monitors.register(actor, b);
  }

  @Get()
  @Roles('nurse', 'anesthesiologist', 'admin')
  @ApiOkResponse({ type: MonitorPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: MonitorQuery): Promise<MonitorPageDto> {
    return this.monitors.list(actor, q);
  }

  @Get(':id')
  @Roles('nurse', 'anesthesiologist', 'admin')
  @ApiOkResponse({ type: MonitorDto })
  get(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<MonitorDto> {
    return this.monitors.get(actor, p.id);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: MonitorDto, description: '409 MONITOR_RETIRED, STALE_VERSION, DUPLICATE_KEY' })
  update(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: UpdateMonitorDto): Promise<MonitorDto> {
    return this.monitors.update(actor, p.id, b);
  }

  @Post(':id/retire')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: MonitorDto, description: 'its readings no longer bind to the chair; 409 MONITOR_RETIRED when already retired' })
  retire(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: RetireMonitorDto): Promise<MonitorDto> {
    return this.monitors.retire(actor, p.id, b.reason);
  }
}
