import { LoginRequestSchema, type Ack, type HealthStatus, type LogoutResponse, type ReadyStatus } from '@earshot/shared';
import fastifyCompress from '@fastify/compress';
import fastifyCors from '@fastify/cors';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { AuthService } from '../auth/authService.js';
import { ActionError } from '../domain/actionError.js';
import type { LiveEffects } from '../realtime/liveEffects.js';
import { RequestTrail } from '../pipeline/requestPipeline.js';
import { bearer, sendError } from './httpReply.js';
import { answerRequest, parseWith } from './httpRoute.js';
import { registerRecordingRoutes, type RecordingsHttpDeps } from './recordings.js';
import { registerSecurityHeaders } from './securityHeaders.js';
import { registerStaticApps } from './staticApps.js';
import { registerMetricsRoute } from './metricsRoute.js';
import type { ServerMetrics } from '../metrics/serverMetrics.js';

const trustNearestHops = (hops: number) => (_address: string, hop: number) => hop < hops;

export interface HttpDeps {
  auth: AuthService;
  live: () => LiveEffects;
  logLevel: string;
  /** Log lines for a person at a terminal (pino-pretty) rather than JSON for a collector. */
  prettyLogs?: boolean;
  /** Which proxies to believe about the client's address (fastify's trustProxy). */
  trustProxy: boolean | number | string[];
  /** Who may show the apps in a frame (CSP frame-ancestors). */
  frameAncestors: string[];
  recordings: RecordingsHttpDeps;
  /** Why the server should get no traffic now (null: ready); throws when the store fails. */
  readiness: () => Promise<string | null>;
  /** Browser origins besides the server's own (ALLOWED_ORIGINS, PUBLIC_URL): the same list the sockets accept. */
  originAllowlist: readonly string[];
  /** `/metrics` for a scraper holding the token; null: no such route (404). */
  metrics: { token: string; scrape: () => Pick<ServerMetrics, 'contentType' | 'text'> } | null;
}

export async function createHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      deps.logLevel === 'silent'
        ? false
        : {
            level: deps.logLevel,
            ...(deps.prettyLogs
              ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true } } }
              : {}),
          },
    bodyLimit: 64 * 1024,
    // Shutdown closes every connection, not only idle ones: a keep-alive stream must not hold it for the keep-alive timeout.
    forceCloseConnections: true,
    // Off unless configured: believing X-Forwarded-For from anyone would let a client pick the address the login throttle counts.
    // A hop count as proxy-addr reads one (fastify's types take it only as a function): believe the nearest n hops.
    trustProxy: typeof deps.trustProxy === 'number' ? trustNearestHops(deps.trustProxy) : deps.trustProxy,
    logController: new LogController({ disableRequestLogging: true }),
  });

  await registerSecurityHeaders(app, deps.frameAncestors);
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err instanceof ActionError) return sendError(reply, err);
    if (err.statusCode === 413) return sendError(reply, new ActionError('INVALID', 'body: too large'));
    if (err.statusCode === 415) return sendError(reply, new ActionError('INVALID', 'body: send application/json'));
    if (err.statusCode !== undefined && err.statusCode < 500) return sendError(reply, new ActionError('INVALID', `body: ${err.message}`));
    req.log.error({ err }, 'request failed');
    return sendError(reply, err);
  });
  // A plugin embedded in a page of another origin logs in over HTTP before it opens its socket: the
  // origins allowed to open a socket may call the API from a page too. Tokens travel in the
  // Authorization header, never in cookies, so no credentials are allowed.
  await app.register(fastifyCors, {
    origin: (origin, cb) => cb(null, origin !== undefined && (deps.originAllowlist.includes(origin) || deps.originAllowlist.includes('*'))),
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['content-type', 'authorization'],
    exposedHeaders: ['retry-after'],
    credentials: false,
  });
  // The apps' scripts and styles, and the API's JSON, go compressed (brotli or gzip, as the browser takes them).
  await app.register(fastifyCompress, { encodings: ['br', 'gzip'] });
  app.setNotFoundHandler((req, reply) => sendError(reply, new ActionError('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`)));

  // Login, logout and me through the request pipeline. A login and a logout write their own audit records
  // (AuthService: the login throttle's verdict, the address, the login's id); a refused me is audited here.
  const pipeline = { audit: deps.recordings.audit, store: deps.recordings.store, answered: deps.recordings.answered };

  app.post('/api/login', (req, reply) =>
    answerRequest(pipeline, req, reply, {
      action: 'auth:login',
      trail: new RequestTrail(null),
      audit: 'handler',
      parse: () => parseWith(LoginRequestSchema, req.body),
      authenticate: async () => null,
      authorize: () => undefined,
      handle: (input) => deps.auth.login(input.username, input.password, req.ip),
    }),
  );

  app.post('/api/logout', (req, reply) =>
    answerRequest(pipeline, req, reply, {
      action: 'auth:logout',
      trail: new RequestTrail(null),
      audit: 'handler',
      parse: () => undefined,
      authenticate: () => deps.auth.authenticate(bearer(req)),
      authorize: () => undefined,
      handle: async (_input, auth) => {
        await deps.auth.logout(auth!.session, auth!.actor);
        // The revoked token's open sockets close with it.
        await deps.live().loginsRevoked([auth!.session.id]);
        return { loggedOut: true } satisfies LogoutResponse;
      },
    }),
  );

  app.get('/api/me', (req, reply) =>
    answerRequest(pipeline, req, reply, {
      action: 'me:get',
      trail: new RequestTrail(null),
      audit: 'refusals',
      parse: () => undefined,
      authenticate: () => deps.auth.authenticate(bearer(req)),
      authorize: () => undefined,
      handle: (_input, auth) => deps.auth.me(auth!.actor),
    }),
  );

  app.get('/api/health', async () => ({ ok: true, data: { status: 'ok' } }) satisfies Ack<HealthStatus>);

  // Readiness, apart from liveness: a load balancer stops sending traffic on 503 (shutting down, or the store fails).
  app.get('/api/ready', async (req, reply) => {
    let reason: string | null;
    try {
      reason = await deps.readiness();
    } catch (err) {
      req.log.error({ err }, 'readiness check failed');
      reason = 'the store does not answer';
    }
    if (reason) return reply.code(503).send({ ok: false, error: { code: 'INTERNAL', message: `Not ready: ${reason}` } } satisfies Ack<never>);
    return { ok: true, data: { status: 'ready' } } satisfies Ack<ReadyStatus>;
  });

  await registerRecordingRoutes(app, deps.recordings);
  if (deps.metrics) registerMetricsRoute(app, deps.metrics.token, deps.metrics.scrape);
  await registerStaticApps(app);
  return app;
}
