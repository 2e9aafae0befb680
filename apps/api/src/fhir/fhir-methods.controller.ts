import { Controller, Delete, Patch, Post, Put, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AnyRole, DomainError, ErrorCode } from '#platform';
import { FhirErrorFilter } from './fhir-error.filter.js';
import { FHIR_BASE } from './fhir-http.js';

const PATHS = ['', '*'];

/**
 * The FHIR API is read-only: create, update, patch, delete, batch and transaction answer 405 with an
 * OperationOutcome and `Allow: GET` to a signed-in user (401 first without a token). A later operation with a method of its own (Bulk
 * Data `$export` takes POST) gets a route of its own, which Fastify prefers to these catch-alls.
 */
@ApiExcludeController()
@UseFilters(FhirErrorFilter)
@Controller(FHIR_BASE)
export class FhirMethodsController {
  private refuse(method: string): never {
    throw new DomainError(405, ErrorCode.MethodNotAllowed, `Vigil's FHIR API is read-only: ${method} is not allowed`, [], { Allow: 'GET' });
  }

  @Post(PATHS)
  @AnyRole()
  post(): never {
    return this.refuse('POST');
  }

  @Put(PATHS)
  @AnyRole()
  put(): never {
    return this.refuse('PUT');
  }

  @Patch(PATHS)
  @AnyRole()
  patch(): never {
    return this.refuse('PATCH');
  }

  @Delete(PATHS)
  @AnyRole()
  delete(): never {
    return this.refuse('DELETE');
  }
}
