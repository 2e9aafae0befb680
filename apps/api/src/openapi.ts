import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger';

import { ErrorDetailDto, ErrorDto } from './http/dto.js';

/** The OpenAPI document, generated from the controllers and DTOs, with every refusal each route may answer. */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Vigil API')
    .setDescription(
      'The backend ketamine and esketamine clinics run their treatment sessions on. Every route needs a bearer access token from POST /api/v1/auth/login unless marked otherwise. Errors always have the ErrorDto shape.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorDto, ErrorDetailDto],
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  publishErrorShape(document);
  publishRefusals(document);
  return document;
}

export function mountOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json', yamlDocumentUrl: 'docs/yaml' });
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const WRITES = new Set<string>(['put', 'post', 'patch', 'delete']);

/** Each refusal, by status: its name among the document's responses and what it means (docs/api.md, Errors). */
const REFUSALS: Record<string, { name: string; description: string }> = {
  '400': { name: 'BadRequest', description: 'VALIDATION_FAILED: malformed or out-of-range input; details lists every bad field' },
  '401': { name: 'Unauthenticated', description: 'no valid access token (UNAUTHENTICATED, TOKEN_EXPIRED, ACCOUNT_INACTIVE)' },
  '403': { name: 'Forbidden', description: 'FORBIDDEN: the caller’s role may not do this' },
  '404': { name: 'NotFound', description: 'NOT_FOUND: no such record, or another clinic’s' },
  '409': { name: 'Conflict', description: 'conflicts with the current state (INVALID_TRANSITION, STALE_VERSION, DUPLICATE_KEY, …)' },
  '422': {
    name: 'RuleUnmet',
    description: 'a clinical or business rule refuses it; details lists every unmet rule, the code is the first',
  },
  '503': { name: 'Unavailable', description: 'DATABASE_UNAVAILABLE or SHUTTING_DOWN: try again shortly (Retry-After)' },
  default: { name: 'Error', description: 'any other error, in the same shape (413, 415, 429, 431, 500)' },
};

/**
 * api.md's error shape, exactly: these five fields and no other. A rule's entry in `details` may
 * carry facts of its own (the consent kind missing, the alerts still open…).
 */
function publishErrorShape(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  const error = schemas['ErrorDto'] as SchemaObject | undefined;
  const detail = schemas['ErrorDetailDto'] as SchemaObject | undefined;
  if (!error || !detail) throw new Error('OpenAPI: ErrorDto and ErrorDetailDto must be among the models');
  error.additionalProperties = false;
  detail.additionalProperties = true;
}

/**
 * Adds to every operation the refusals it may answer, each an ErrorDto, unless the route publishes
 * its own: 400 when it takes input (body, query, path or header), 401 and 403 when it needs a token,
 * 404 when its path names a record, 409 and 422 on writes, 503 always, and `default` for the rest.
 */
function publishRefusals(document: OpenAPIObject): void {
  const responses: Record<string, ResponseObject> = {};
  for (const { name, description } of Object.values(REFUSALS))
    responses[name] = { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorDto' } } } };
  document.components = { ...document.components, responses: { ...document.components?.responses, ...responses } };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      for (const status of refusalsOf(path, method, operation))
        operation.responses[status] ??= { $ref: `#/components/responses/${REFUSALS[status].name}` };
    }
  }
}

function refusalsOf(path: string, method: string, operation: OperationObject): string[] {
  const statuses: string[] = [];
  if ((operation.parameters?.length ?? 0) > 0 || operation.requestBody) statuses.push('400');
  if (operation.security?.length) statuses.push('401', '403');
  if (path.includes('{')) statuses.push('404');
  if (WRITES.has(method)) statuses.push('409', '422');
  statuses.push('503', 'default');
  return statuses;
}
