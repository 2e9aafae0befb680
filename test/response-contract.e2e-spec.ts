import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { watchAnswers } from './support/answer-watcher.js';
import { ResponseContract, type ContractDocument } from './support/response-contract.js';
import { describeDrifts, takeDrifts, type Drift } from './support/response-drifts.js';

/*
 * The checker every e2e test runs behind (test/support/answer-watcher.ts): a small published
 * contract, a plain HTTP server answering what each case sends, and the drifts the checker records.
 */

const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const document: ContractDocument = {
  paths: {
    '/things/{id}': { get: { responses: { '200': json('Thing'), '404': { $ref: '#/components/responses/NotFound' } } } },
    '/things/stream': {
      get: {
        responses: { '200': { content: { 'text/event-stream': { schema: { type: 'string' } } } } },
        'x-stream-events': { tick: { $ref: '#/components/schemas/Tick' } },
      },
    },
  },
  components: {
    responses: { NotFound: json('Error') },
    schemas: {
      Error: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] },
      Owner: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      Thing: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          kind: { type: 'string', enum: ['a', 'b'] },
          note: { type: 'string', nullable: true },
          owner: { nullable: true, type: 'object', allOf: [{ $ref: '#/components/schemas/Owner' }] },
        },
        required: ['id', 'kind', 'note', 'owner'],
      },
      Tick: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
    },
  },
};

const ID = '0b6f9d8e-4a53-4c1e-9a43-2f0d6f1e8a10';
const thing = (fields: Record<string, unknown> = {}) => ({ id: ID, kind: 'a', note: null, owner: null, ...fields });

/** What the server answers next: status, content type and body. */
let next: { status: number; type?: string; body: string } = { status: 200, body: '' };

describe('the response contract checker', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      if (next.type) res.writeHead(next.status, { 'Content-Type': next.type });
      else res.statusCode = next.status;
      res.end(next.body);
    });
    watchAnswers(server, new ResponseContract(document));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const answer = async (path: string, status: number, body: unknown, type = 'application/json; charset=utf-8'): Promise<Drift[]> => {
    next = { status, type, body: typeof body === 'string' ? body : JSON.stringify(body) };
    const res = await fetch(`${base}${path}`);
    await res.text();
    return takeDrifts();
  };
  const problems = (drifts: Drift[]) => drifts.flatMap((d) => d.problems.map((p) => `${d.route} ${d.status} ${p.at}: ${p.message}`));

  it.each([
    { why: 'nullable fields as null', body: thing() },
    { why: 'a nullable reference given', body: thing({ note: 'ok', owner: { name: 'Ana' } }) },
  ])('an answer as published passes: $why', async ({ body }) => {
    expect(await answer(`/things/${ID}`, 200, body)).toEqual([]);
  });

  it.each([
    {
      why: 'a value outside the enum',
      body: thing({ kind: 'c' }),
      problem: 'body/kind: must be equal to one of the allowed values ["a","b"]',
    },
    { why: 'a field not published', body: thing({ secret: 1 }), problem: 'body: must NOT have additional properties "secret"' },
    { why: 'a required field missing', body: { id: ID, kind: 'a', note: null }, problem: "body: must have required property 'owner'" },
    { why: 'inside a nullable reference', body: thing({ owner: { name: 5 } }), problem: 'body/owner/name: must be string' },
    { why: 'a nullable string given a number', body: thing({ note: 3 }), problem: 'body/note: must be string' },
    { why: 'a malformed uuid', body: thing({ id: 'x' }), problem: 'body/id: must match format "uuid"' },
  ])('a drift names the route, the status and the path in the body: $why', async ({ body, problem }) => {
    const drifts = await answer(`/things/${ID}`, 200, body);
    expect(problems(drifts)).toContain(`GET /things/{id} 200 ${problem}`);
    expect(describeDrifts(drifts)).toContain(`GET /things/{id} answered 200 (/things/${ID})`);
  });

  it('a status the route does not publish, or a body of another type, is a drift', async () => {
    expect(problems(await answer(`/things/${ID}`, 201, thing()))).toEqual([
      'GET /things/{id} 201 status: 201 is not a published answer (published: 200, 404)',
    ]);
    expect(problems(await answer(`/things/${ID}`, 200, 'hello', 'text/plain'))).toEqual([
      'GET /things/{id} 200 content-type: text/plain is not published for 200 (published: application/json)',
    ]);
  });

  it('a refusal is checked against the response it references', async () => {
    expect(await answer(`/things/${ID}`, 404, { code: 'NOT_FOUND' })).toEqual([]);
    expect(problems(await answer(`/things/${ID}`, 404, { message: 'gone' }))).toContain(
      'GET /things/{id} 404 body: must NOT have additional properties "message"',
    );
  });

  it('a literal path segment wins over a parameter, and every event of a stream is checked by its name', async () => {
    const stream = 'id: 1\nevent: tick\ndata: {"n":1}\n\n: ping\n\nevent: tick\ndata: {"n":"two"}\n\nevent: tock\ndata: {}\n\n';
    expect(problems(await answer('/things/stream', 200, stream, 'text/event-stream'))).toEqual([
      'GET /things/stream 200 event tick data/n: must be integer',
      'GET /things/stream 200 event: "tock" is not a published event of GET /things/stream',
    ]);
  });
});
