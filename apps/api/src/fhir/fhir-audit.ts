import type { FastifyRequest } from 'fastify';
import { patientIdOf, type Query } from '#clinic';
import type { ReadResource } from '../http/audit-read.js';

/*
 * What a FHIR read is about, for its audit row (AuditRead): a search naming a patient is a read of
 * that patient's records, like the REST lists filtered by patient; otherwise of the type's list. A
 * read names the Vigil record (session, dose, signature…) by its id.
 */

export const queryOf = (request: FastifyRequest): Query => (request.query ?? {}) as Query;

export const searchOf =
  (type: string) =>
  (request: FastifyRequest): ReadResource => {
    const q = queryOf(request);
    const raw = q['patient'] ?? q['subject'];
    const first = Array.isArray(raw) ? raw[0] : raw;
    const id = first ? patientIdOf(first.split(',')[0]) : null;
    return id ? { type: 'patient', id: id.slice(0, 100) } : { type, id: null };
  };

export const readOf =
  (type: string) =>
  (request: FastifyRequest): ReadResource => ({ type, id: String((request.params as { id: string }).id).slice(0, 100) });
