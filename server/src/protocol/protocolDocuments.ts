import {
  ackSchema,
  clientEvents,
  HandshakeAuthSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  LogoutResponseSchema,
  MeSchema,
  RecordingDeleteResponseSchema,
  RecordingIdParamsSchema,
  RecordingsListQuerySchema,
  RecordingsListResponseSchema,
  RecordingTicketResponseSchema,
  serverEvents,
  WireErrorSchema,
  HealthStatusSchema,
  ReadyStatusSchema,
} from '@earshot/shared';
import { z } from 'zod';

/**
 * The protocol as documents, generated from the wire's zod schemas (`shared/`): an AsyncAPI description of
 * every socket.io event and an OpenAPI description of the HTTP routes. `npm run docs:protocol` writes them
 * to docs/protocol/; a test fails when the committed ones differ from these.
 */

type JsonSchema = Record<string, unknown>;
const VERSION = '0.1.0';

// What a client sends is the schema's input; what it receives, its output (a default filled in, a coercion done).
const sent = (schema: z.ZodType): JsonSchema => strip(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
const received = (schema: z.ZodType): JsonSchema => strip(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }));
function strip(schema: JsonSchema): JsonSchema {
  const { $schema: _, ...rest } = schema;
  return rest;
}

export function asyncApiDocument(): JsonSchema {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const [event, spec] of Object.entries(clientEvents)) {
    messages[`${event} request`] = { name: event, title: `${event} (request)`, payload: sent(spec.request) };
    messages[`${event} ack`] = { name: event, title: `${event} (ack)`, payload: received(ackSchema(spec.response)) };
    channels[event] = {
      address: event,
      messages: {
        request: { $ref: `#/components/messages/${event} request` },
        ack: { $ref: `#/components/messages/${event} ack` },
      },
    };
    operations[`${event} from the client`] = {
      action: 'receive',
      summary: `The client emits \`${event}\` with an ack callback; the server answers through the ack.`,
      channel: { $ref: `#/channels/${event}` },
      messages: [{ $ref: `#/channels/${event}/messages/request` }],
      reply: { channel: { $ref: `#/channels/${event}` }, messages: [{ $ref: `#/channels/${event}/messages/ack` }] },
    };
  }
  for (const [event, schema] of Object.entries(serverEvents)) {
    messages[`${event} push`] = { name: event, title: `${event} (push)`, payload: received(schema) };
    channels[event] = { address: event, messages: { push: { $ref: `#/components/messages/${event} push` } } };
    operations[`${event} to the client`] = {
      action: 'send',
      summary: `The server pushes \`${event}\`.`,
      channel: { $ref: `#/channels/${event}` },
      messages: [{ $ref: `#/channels/${event}/messages/push` }],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Earshot control plane (socket.io)',
      version: VERSION,
      description: [
        'Every client event is emitted with an ack callback and answered `{ ok: true, data }` or `{ ok: false, error: { code, message } }`;',
        'an event sent without one gets its error as an `action:error` push. The socket is authenticated at the handshake',
        '(`auth`, the `HandshakeAuth` schema) with a token from `POST /api/login`. Generated from shared/ by `npm run docs:protocol`.',
      ].join(' '),
    },
    defaultContentType: 'application/json',
    servers: {
      earshot: { host: 'localhost:3000', protocol: 'ws', pathname: '/socket.io/', description: "socket.io (engine.io v4) on the server's own port" },
    },
    channels,
    operations,
    components: {
      schemas: { HandshakeAuth: sent(HandshakeAuthSchema), WireError: received(WireErrorSchema) },
      messages,
    },
  };
}

const ERROR_ENVELOPE = { $ref: '#/components/schemas/ErrorEnvelope' };
const jsonBody = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });
const failures = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { description: ERROR_MEANING[s] ?? 'the error envelope', ...jsonBody(ERROR_ENVELOPE) }]));
const ERROR_MEANING: Record<number, string> = {
  400: 'INVALID: the body, query or path does not parse',
  401: 'UNAUTHENTICATED: no token, or one that has ended',
  403: 'FORBIDDEN or OUT_OF_SCOPE',
  404: 'NOT_FOUND',
  416: 'INVALID: the Range starts past the end',
  429: 'RATE_LIMITED (with Retry-After)',
  503: 'not ready (INTERNAL)',
};
const ok = (schema: z.ZodType, description: string) => ({ '200': { description, ...jsonBody(received(ackSchema(schema))) } });
const pathId = (() => {
  const id = sent(RecordingIdParamsSchema) as { properties: { id: JsonSchema } };
  return { name: 'id', in: 'path', required: true, schema: id.properties.id };
})();
const ticket = { name: 'ticket', in: 'query', required: true, schema: { type: 'string' }, description: 'from POST /api/recordings/{id}/ticket' };
const wav = (description: string) => ({ description, content: { 'audio/wav': { schema: { type: 'string', format: 'binary' } } } });
const bearer = [{ login: [] }];

export function openApiDocument(): JsonSchema {
  const listQuery = sent(RecordingsListQuerySchema) as { properties: Record<string, JsonSchema>; required?: string[] };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Earshot HTTP API',
      version: VERSION,
      description:
        "Answers use the socket acks' envelope: `{ ok: true, data }` or `{ ok: false, error: { code, message } }`. Generated from shared/ by `npm run docs:protocol`.",
    },
    paths: {
      '/api/login': {
        post: {
          summary: 'Log in: a token for the Authorization header and the socket handshake',
          requestBody: { required: true, ...jsonBody(sent(LoginRequestSchema)) },
          responses: { ...ok(LoginResponseSchema, 'logged in'), ...failures(400, 401, 429) },
        },
      },
      '/api/logout': {
        post: { summary: 'Revoke this token; its sockets close', security: bearer, responses: { ...ok(LogoutResponseSchema, 'logged out'), ...failures(401) } },
      },
      '/api/me': {
        get: { summary: 'Who this token is, with their rights', security: bearer, responses: { ...ok(MeSchema, 'the user'), ...failures(401) } },
      },
      '/api/health': {
        get: { summary: 'Liveness: the process runs', responses: ok(HealthStatusSchema, 'alive') },
      },
      '/api/ready': {
        get: {
          summary: 'Readiness: 503 from the moment shutdown begins, or while the store does not answer',
          responses: { ...ok(ReadyStatusSchema, 'ready'), ...failures(503) },
        },
      },
      '/api/recordings': {
        get: {
          summary: 'Recordings in scope, newest first (Playback, Export or Delete Recording)',
          security: bearer,
          parameters: Object.entries(listQuery.properties).map(([name, schema]) => ({
            name,
            in: 'query',
            required: listQuery.required?.includes(name) ?? false,
            schema,
          })),
          responses: { ...ok(RecordingsListResponseSchema, 'a page of recordings'), ...failures(400, 401, 403) },
        },
      },
      '/api/recordings/{id}/ticket': {
        post: {
          summary: 'A short-lived ticket and the URLs an <audio> element or a download link can use',
          security: bearer,
          parameters: [pathId],
          responses: { ...ok(RecordingTicketResponseSchema, 'the ticket'), ...failures(400, 401, 403, 404) },
        },
      },
      '/api/recordings/{id}/audio': {
        get: {
          summary: "The recording's audio (Range requests answered 206)",
          parameters: [pathId, ticket],
          responses: { '200': wav('the whole file'), '206': wav('the requested range'), ...failures(400, 401, 403, 404, 416) },
        },
      },
      '/api/recordings/{id}/export': {
        get: {
          summary: 'The recording as a download',
          parameters: [pathId, ticket],
          responses: { '200': wav('the file, as an attachment'), ...failures(400, 401, 403, 404) },
        },
      },
      '/api/recordings/{id}': {
        delete: {
          summary: 'Delete a recording (irretrievable)',
          security: bearer,
          parameters: [pathId],
          responses: { ...ok(RecordingDeleteResponseSchema, 'deleted'), ...failures(400, 401, 403, 404) },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics (only when METRICS_TOKEN is set; 404 otherwise)',
          security: [{ metrics: [] }],
          responses: {
            '200': { description: 'the Prometheus text format', content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } } },
            ...failures(401, 404),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        login: { type: 'http', scheme: 'bearer', description: 'the token from POST /api/login' },
        metrics: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN' },
      },
      schemas: { ErrorEnvelope: received(z.object({ ok: z.literal(false), error: WireErrorSchema })) },
    },
  };
}

/** The documents as written to docs/protocol/: file name → text. */
export function protocolDocuments(): Record<string, string> {
  return {
    'asyncapi.json': `${JSON.stringify(asyncApiDocument(), null, 2)}\n`,
    'openapi.json': `${JSON.stringify(openApiDocument(), null, 2)}\n`,
  };
}
