import { Controller, Get, Header, Param, Req, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { capabilityStatement, FhirObservationsService, FhirPatientsService, parseSearch, searchset, type FhirResource } from '#clinic';
import { AnyRole, Clock, DomainError, ErrorCode, Public, Roles, type Actor } from '#platform';
import { AuditRead } from '../http/audit-read.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { queryOf, readOf, searchOf } from './fhir-audit.js';
import { FhirErrorFilter } from './fhir-error.filter.js';
import { baseUrlOf, checkFormat, FHIR_BASE, FHIR_JSON, strictHandling } from './fhir-http.js';

const VERSION = '0.2.0';

/**
 * Vigil's records as FHIR R4 (read-only), at /fhir/R4: the CapabilityStatement, and read and search
 * of Patient and Observation (vital signs, body weight, assessment scores); the other resources are
 * in FhirRecordsController. Same tokens and roles as the REST reads they mirror; errors are
 * OperationOutcomes. Described by its CapabilityStatement and docs/fhir.md, not OpenAPI.
 */
@ApiExcludeController()
@UseFilters(FhirErrorFilter)
@Controller(FHIR_BASE)
export class FhirController {
  constructor(
    private readonly patients: FhirPatientsService,
    private readonly observations: FhirObservationsService,
    private readonly clock: Clock,
  ) {}

  @Get('metadata')
  @Public()
  @Header('Content-Type', FHIR_JSON)
  metadata(@Req() request: FastifyRequest): FhirResource {
    checkFormat(request);
    return capabilityStatement({ baseUrl: baseUrlOf(request), date: this.clock.now().toISOString(), version: VERSION });
  }

  @Get('Patient')
  @AnyRole()
  @Header('Content-Type', FHIR_JSON)
  async searchPatients(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<FhirResource> {
    checkFormat(request);
    const search = parseSearch('Patient', queryOf(request), strictHandling(request));
    return searchset(baseUrlOf(request), 'Patient', await this.patients.search(actor, search), search);
  }

  @Get('Patient/:id')
  @AnyRole()
  @Header('Content-Type', FHIR_JSON)
  readPatient(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Param('id') id: string): Promise<FhirResource> {
    checkFormat(request);
    return this.patients.read(actor, id);
  }

  @Get('Observation')
  @Roles('nurse', 'anesthesiologist')
  @AuditRead('fhir.observation.search', searchOf('observation'))
  @Header('Content-Type', FHIR_JSON)
  async searchObservations(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<FhirResource> {
    checkFormat(request);
    const search = parseSearch('Observation', queryOf(request), strictHandling(request));
    const page = await this.observations.search(actor, search);
    if (search.includePatients) page.included = await this.patients.included(actor, page.resources);
    return searchset(baseUrlOf(request), 'Observation', page, search);
  }

  @Get('Observation/:id')
  @Roles('nurse', 'anesthesiologist')
  @AuditRead('fhir.observation.read', readOf('observation'))
  @Header('Content-Type', FHIR_JSON)
  readObservation(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Param('id') id: string): Promise<FhirResource> {
    checkFormat(request);
    return this.observations.read(actor, id);
  }

  /** Any other resource type: 404, as FHIR asks of a type the server does not support. */
  @Get(':type')
  @AnyRole()
  unknownType(@Param('type') type: string): never {
    throw new DomainError(404, ErrorCode.NotFound, `Vigil serves no ${type.slice(0, 64)} resources over FHIR`);
  }

  @Get(':type/:id')
  @AnyRole()
  unknownTypeRead(@Param('type') type: string): never {
    return this.unknownType(type);
  }
}
