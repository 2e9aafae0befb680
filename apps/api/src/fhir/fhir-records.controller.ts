import { Controller, Get, Header, Param, Req, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { FhirPatientsService, FhirTablesService, parseSearch, searchset, type FhirResource, type TableType } from '#clinic';
import { AnyRole, Roles, type Actor } from '#platform';
import { AuditRead } from '../http/audit-read.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { queryOf, readOf, searchOf } from './fhir-audit.js';
import { FhirErrorFilter } from './fhir-error.filter.js';
import { baseUrlOf, checkFormat, FHIR_BASE, FHIR_JSON, strictHandling } from './fhir-http.js';

/**
 * Read and search of the FHIR resources that are one Vigil row each: Encounter (a session),
 * MedicationAdministration (a dose), Consent (a signature), Appointment (a booking), Flag (an open
 * alert), Device (a monitor), Location (a chair), Practitioner (a member of staff). The roles are
 * those of the REST reads they mirror; every read is audited.
 */
@ApiExcludeController()
@UseFilters(FhirErrorFilter)
@Controller(FHIR_BASE)
export class FhirRecordsController {
  constructor(
    private readonly tables: FhirTablesService,
    private readonly patients: FhirPatientsService,
  ) {}

  private async search(actor: Actor, request: FastifyRequest, type: TableType): Promise<FhirResource> {
    checkFormat(request);
    const search = parseSearch(type, queryOf(request), strictHandling(request));
    const page = await this.tables.search(actor, type, search);
    if (search.includePatients) page.included = await this.patients.included(actor, page.resources);
    return searchset(baseUrlOf(request), type, page, search);
  }

  private read(actor: Actor, request: FastifyRequest, type: TableType, id: string): Promise<FhirResource> {
    checkFormat(request);
    return this.tables.read(actor, type, id);
  }

  @Get('Encounter')
  @Roles('nurse', 'anesthesiologist')
  @AuditRead('fhir.encounter.search', searchOf('session'))
  @Header('Content-Type', FHIR_JSON)
  searchEncounters(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<FhirResource> {
    return this.search(actor, request, 'Encounter');
  }

  @Get('Encounter/:id')
  @Roles('nurse', 'anesthesiologist')
  @AuditRead('fhir.encounter.read', readOf('session'))
  @Header('Content-Type', FHIR_JSON)
  readEncounter(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Param('id') id: string): Promise<FhirResource> {
    return this.read(actor, request, 'Encounter', id);
  }

  @Get('MedicationAdministration')
  @Roles('nurse', 'anesthesiologist')
  @AuditRead('fhir.medication-administration.search', searchOf('dose-administration'))
  @Header('Content-Type', FHIR_JSON)
  searchDoses(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<FhirResource> {
    return this.search(actor, request, 'MedicationAdministration');
  }

  @Get('MedicationAdministration/:id')
  @Roles('nurse', 'anesthesiologist')
  @AuditRead('fhir.medication-administration.read', readOf('dose-administration'))
  @Header('Content-Type', FHIR_JSON)
  readDose(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Param('id') id: string): Promise<FhirResource> {
    return this.read(actor, request, 'MedicationAdministration', id);
  }

  @Get('Consent')
  @AnyRole()
  @AuditRead('fhir.consent.search', searchOf('consent'))
  @Header('Content-Type', FHIR_JSON)
  searchConsents(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<FhirResource> {
    return this.search(actor, request, 'Consent');
  }

  @Get('Consent/:id')
  @AnyRole()
  @AuditRead('fhir.consent.read', readOf('consent'))
  @Header('Content-Type', FHIR_JSON)
  readConsent(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Param('id') id: string): Promise<FhirResource> {
    return this.read(actor, request, 'Consent', id);
  }

  @Get('Appointment')
  @AnyRole()
  @AuditRead('fhir.appointment.search', searchOf('appointment'))
  @Header('Content-Type', FHIR_JSON)
  searchAppointments(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<FhirResource> {
    return this.search(actor, request, 'Appointment');
  }

  @Get('Appointment/:id')
  @AnyRole()
  @AuditRead('fhir.appointment.read', readOf('appointment'))
  @Header('Content-Type', FHIR_JSON)
  readAppointment(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Param('id') id: string): Promise<FhirResource> {
    return this.read(actor, request, 'Appointment', id);
  }

  @Get('Flag')
  @Roles('nurse', 'anesthesiologist')
  @AuditRead('fhir.flag.search', searchOf('alert'))
  @Header('Content-Type', FHIR_JSON)
  searchFlags(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<FhirResource> {
    return this.search(actor, request, 'Flag');
  }

  @Get('Flag/:id')
  @Roles('nurse', 'anesthesiologist')
  @AuditRead('fhir.flag.read', readOf('alert'))
  @Header('Content-Type', FHIR_JSON)
  readFlag(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Param('id') id: string): Promise<FhirResource> {
    return this.read(actor, request, 'Flag', id);
  }

  @Get('Device')
  @AnyRole()
  @AuditRead('fhir.device.search', searchOf('monitor'))
  @Header('Content-Type', FHIR_JSON)
  searchDevices(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<FhirResource> {
    return this.search(actor, request, 'Device');
  }

  @Get('Device/:id')
  @AnyRole()
  @AuditRead('fhir.device.read', readOf('monitor'))
  @Header('Content-Type', FHIR_JSON)
  readDevice(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Param('id') id: string): Promise<FhirResource> {
    return this.read(actor, request, 'Device', id);
  }

  @Get('Location')
  @AnyRole()
  @AuditRead('fhir.location.search', searchOf('chair'))
  @Header('Content-Type', FHIR_JSON)
  searchLocations(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<FhirResource> {
    return this.search(actor, request, 'Location');
  }

  @Get('Location/:id')
  @AnyRole()
  @AuditRead('fhir.location.read', readOf('chair'))
  @Header('Content-Type', FHIR_JSON)
  readLocation(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Param('id') id: string): Promise<FhirResource> {
    return this.read(actor, request, 'Location', id);
  }

  @Get('Practitioner')
  @AnyRole()
  @AuditRead('fhir.practitioner.search', searchOf('user'))
  @Header('Content-Type', FHIR_JSON)
  searchPractitioners(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<FhirResource> {
    return this.search(actor, request, 'Practitioner');
  }

  @Get('Practitioner/:id')
  @AnyRole()
  @AuditRead('fhir.practitioner.read', readOf('user'))
  @Header('Content-Type', FHIR_JSON)
  readPractitioner(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Param('id') id: string): Promise<FhirResource> {
    return this.read(actor, request, 'Practitioner', id);
  }
}
