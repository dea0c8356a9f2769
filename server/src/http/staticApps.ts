import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

const repoPath = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

/** Where the built web apps are: the supervisor app at `/`, the demo desktop agent at `/agent/`. */
export const APP_DIRS = {
  supervisor: repoPath('supervisor-client/dist'),
  agent: repoPath('agent-client/demo-dist'),
};

function notBuilt(name: string) {
  return `<!doctype html><meta charset="utf-8"><title>Earshot</title><p>The ${name} is not built yet: run <code>npm run build</code>.</p>`;
}

/** Hashed file names (Vite's `assets/`) never change content: a browser keeps them a year without asking again. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html, which names the current assets) is checked with the server on every load. */
export const REVALIDATE = 'no-cache';

const isAsset = (path: string) => /[\\/]assets[\\/]/.test(path);
const staticOptions = {
  wildcard: false,
  index: 'index.html',
  cacheControl: false,
  setHeaders: (reply: FastifyReply, path: string) => {
    reply.header('Cache-Control', isAsset(path) ? IMMUTABLE : REVALIDATE);
  },
  // Source maps are built for error tracking (`sourcemap: 'hidden'`), never served: they are the source.
  allowedPath: (path: string) => !path.endsWith('.map'),
} as const;

/** Serves the built apps; a path the app routes itself (no file behind it) gets the app's index.html. */
export async function registerStaticApps(app: FastifyInstance, dirs = APP_DIRS): Promise<void> {
  const haveSupervisor = existsSync(`${dirs.supervisor}/index.html`);
  const haveAgent = existsSync(`${dirs.agent}/index.html`);
  if (haveSupervisor) await app.register(fastifyStatic, { ...staticOptions, root: dirs.supervisor, prefix: '/' });
  if (haveAgent) await app.register(fastifyStatic, { ...staticOptions, root: dirs.agent, prefix: '/agent/', decorateReply: !haveSupervisor });

  // A missing asset (an old hash after an upgrade) is a 404, not the app's page under a script's name.
  const notAnAppPath = (url: string) => /^\/(api|socket\.io|metrics)(\/|\?|$)|^\/(agent\/)?assets\//.test(url);
  app.get('/agent', (_req, reply) => reply.redirect('/agent/'));
  app.get('/agent/*', (req, reply) => {
    if (notAnAppPath(req.url)) return reply.callNotFound();
    return haveAgent ? reply.sendFile('index.html', dirs.agent) : reply.type('text/html').send(notBuilt('demo desktop agent'));
  });
  app.get('/*', (req, reply) => {
    // Machine paths never get the app's page: an unknown one is a 404 its client can tell apart.
    if (notAnAppPath(req.url)) return reply.callNotFound();
    return haveSupervisor ? reply.sendFile('index.html', dirs.supervisor) : reply.type('text/html').send(notBuilt('supervisor app'));
  });
  if (!haveSupervisor) app.get('/', (_req, reply) => reply.type('text/html').send(notBuilt('supervisor app')));
}
