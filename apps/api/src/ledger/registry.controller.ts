import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LedgerRegistryService } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam, PageQuery } from '../http/dto.js';
import {
  CreateProductDto,
  CreateRegistrationDto,
  ProductDto,
  ProductPageDto,
  RegistrationDto,
  RegistrationPageDto,
  UpdateRegistrationDto,
} from './registry.dto.js';

/** The clinic's DEA registrations and its controlled-substance products: administrators keep them, everyone reads them. */
@ApiTags('controlled substances')
@ApiBearerAuth()
@Controller('ledger')
export class LedgerRegistryController {
  constructor(private readonly registry: LedgerRegistryService) {}

  @Post('registrations')
  @Roles('admin')
  @ApiCreatedResponse({
    type: RegistrationDto,
    description: '400 when the DEA number fails its check digit; 409 DUPLICATE_KEY when already registered',
  })
  register(@CurrentActor() actor: Actor, @Body() b: CreateRegistrationDto): Promise<RegistrationDto> {
    return this.registry.register(actor, b);
  }

  @Get('registrations')
  @Roles('nurse', 'anesthesiologist', 'admin')
  @ApiOkResponse({ type: RegistrationPageDto })
  registrations(@CurrentActor() actor: Actor, @Query() q: PageQuery): Promise<RegistrationPageDto> {
    return this.registry.registrations(actor, q);
  }

  @Patch('registrations/:id')
  @Roles('admin')
  @ApiOkResponse({ type: RegistrationDto, description: 'a renewal or a change; audited with before and after' })
  update(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: UpdateRegistrationDto): Promise<RegistrationDto> {
    return this.registry.update(actor, p.id, b);
  }

  @Get('products')
  @Roles('nurse', 'anesthesiologist', 'admin')
  @ApiOkResponse({ type: ProductPageDto })
  products(@CurrentActor() actor: Actor, @Query() q: PageQuery): Promise<ProductPageDto> {
    return this.registry.products(actor, q);
  }

  @Post('products')
  @Roles('admin')
  @ApiCreatedResponse({ type: ProductDto, description: 'one of the clinic’s own presentations of ketamine or esketamine' })
  addProduct(@CurrentActor() actor: Actor, @Body() b: CreateProductDto): Promise<ProductDto> {
    return this.registry.addProduct(actor, b);
  }
}
