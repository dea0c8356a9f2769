import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ActionError } from '../domain/actionError.js';
import type { ServerMetrics } from '../metrics/serverMetrics.js';
import { bearer, sendError } from './httpReply.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * `GET /metrics` in the Prometheus text format, for a scraper that sends the token. On the server's own
 * port rather than a second listener: one address to open and proxy, and the token keeps the counts
 * (how many calls are supervised, how many logins fail) from anyone who can reach the apps.
 */
export function registerMetricsRoute(app: FastifyInstance, token: string, scrape: () => Pick<ServerMetrics, 'contentType' | 'text'>): void {
  // Compared as digests of equal length, in constant time: the time taken tells nothing of the token.
  const expected = digest(token);
  app.get('/metrics', async (req, reply) => {
    const given = bearer(req);
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      reply.header('WWW-Authenticate', 'Bearer realm="metrics"');
      return sendError(reply, new ActionError('UNAUTHENTICATED', 'GET /metrics needs the metrics token: Authorization: Bearer <METRICS_TOKEN>'));
    }
    const metrics = scrape();
    const text = await metrics.text();
    return reply.type(metrics.contentType).header('Cache-Control', 'no-store').send(text);
  });
}
