import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const repoPath = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

/** Where the built web apps are: the supervisor app at `/`, the demo desktop agent at `/agent/`. */
export const APP_DIRS = {
  supervisor: repoPath('supervisor-client/dist'),
  agent: repoPath('agent-client/demo-dist'),
};

function notBuilt(name: string) {
  return `<!doctype html><meta charset="utf-8"><title>Earshot</title><p>The ${name} is not built yet: run <code>npm run build</code>.</p>`;
}

/** Serves the built apps; a path the app routes itself (no file behind it) gets the app's index.html. */
export async function registerStaticApps(app: FastifyInstance, dirs = APP_DIRS): Promise<void> {
  const haveSupervisor = existsSync(`${dirs.supervisor}/index.html`);
  const haveAgent = existsSync(`${dirs.agent}/index.html`);
  if (haveSupervisor) await app.register(fastifyStatic, { root: dirs.supervisor, prefix: '/', wildcard: false, index: 'index.html' });
  if (haveAgent) await app.register(fastifyStatic, { root: dirs.agent, prefix: '/agent/', decorateReply: !haveSupervisor, wildcard: false, index: 'index.html' });

  app.get('/agent', (_req, reply) => reply.redirect('/agent/'));
  app.get('/agent/*', (_req, reply) => (haveAgent ? reply.sendFile('index.html', dirs.agent) : reply.type('text/html').send(notBuilt('demo desktop agent'))));
  app.get('/*', (req, reply) => {
    // Machine paths never get the app's page: an unknown one is a 404 its client can tell apart.
    if (/^\/(api|socket\.io|metrics)(\/|\?|$)/.test(req.url)) return reply.callNotFound();
    return haveSupervisor ? reply.sendFile('index.html', dirs.supervisor) : reply.type('text/html').send(notBuilt('supervisor app'));
  });
  if (!haveSupervisor) app.get('/', (_req, reply) => reply.type('text/html').send(notBuilt('supervisor app')));
}
