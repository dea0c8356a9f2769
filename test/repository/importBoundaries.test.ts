import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, readSource, repoRoot, sourceFiles } from './sourceFiles.js';

/**
 * The import boundaries of docs/architecture.md "Rules for the code": the domain is pure (no store, no
 * transport, no clock), the wire package knows nothing of the server, and the two apps share code only
 * through packages, never by importing each other.
 */

/** Where a specifier points: a repository-relative path for a relative import, else the package name as written. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return relative(repoRoot, join(repoRoot, dirname(file), specifier)).replace(/\\/g, '/');
}

function importsFrom(dir: string, forbidden: (target: string, file: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(readSource(file))
      .map((specifier) => ({ specifier, to: target(file, specifier) }))
      .filter(({ to }) => forbidden(to, file))
      .map(({ specifier }) => `${file} imports ${specifier}`),
  );
}

const under = (to: string, ...dirs: string[]) => dirs.some((d) => to === d || to.startsWith(`${d}/`));
const isPackage = (to: string, ...names: string[]) => names.some((n) => to === n || to.startsWith(`${n}/`));

describe('server/src/domain is pure', () => {
  const EDGES = ['store', 'cluster', 'realtime', 'http', 'media', 'telephony', 'live', 'audit', 'bootstrap'].map((d) => `server/src/${d}`);
  const TRANSPORT = ['net', 'node:net', 'node:http', 'node:https', 'node:dgram', 'node:fs', 'ws', 'socket.io', 'fastify', 'better-sqlite3'];

  it('imports no store, transport, media, telephony or live floor code', () => {
    expect(importsFrom('server/src/domain', (to) => under(to, ...EDGES) || isPackage(to, ...TRANSPORT))).toEqual([]);
  });

  it('reads no clock and sets no timer: the time is passed in (`now`)', () => {
    const CLOCK = /\bDate\.now\(|new Date\(\)|\bperformance\.now\(|\bprocess\.hrtime|\bset(Timeout|Interval|Immediate)\(/;
    const uses = sourceFiles('server/src/domain')
      .filter((file) => !file.endsWith('.test.ts'))
      .flatMap((file) =>
        readSource(file)
          .split('\n')
          .map((line, i) => ({ file, line, n: i + 1 })),
      )
      .filter(({ line }) => CLOCK.test(line))
      .map(({ file, n, line }) => `${file}:${n}: ${line.trim()}`);
    expect(uses).toEqual([]);
  });
});

describe('shared/ is the wire', () => {
  it('imports nothing of the server or the clients', () => {
    const outside = (to: string) =>
      under(to, 'server', 'media-client', 'agent-client', 'supervisor-client', 'test') ||
      isPackage(to, '@earshot/server', '@earshot/media-client', '@earshot/agent-client', '@earshot/supervisor-client');
    expect(importsFrom('shared/src', outside)).toEqual([]);
  });
});

describe('the two apps', () => {
  it('the supervisor app never imports the agent plugin', () => {
    expect(importsFrom('supervisor-client', (to) => under(to, 'agent-client') || isPackage(to, '@earshot/agent-client'))).toEqual([]);
  });

  it('the agent plugin never imports the supervisor app', () => {
    expect(importsFrom('agent-client', (to) => under(to, 'supervisor-client') || isPackage(to, '@earshot/supervisor-client'))).toEqual([]);
  });

  it('neither app imports the server', () => {
    const server = (to: string) => under(to, 'server') || isPackage(to, '@earshot/server');
    expect([...importsFrom('supervisor-client', server), ...importsFrom('agent-client', server), ...importsFrom('media-client', server)]).toEqual([]);
  });
});

describe('server/src', () => {
  it('has no import cycles (each module can be read, and tested, after the ones it uses)', () => {
    const files = sourceFiles('server/src').filter((f) => !f.endsWith('.test.ts'));
    const graph = new Map(
      files.map((f) => [
        f,
        importsOf(readSource(f))
          .filter((s) => s.startsWith('.'))
          .map((s) => target(f, s).replace(/\.js$/, '.ts')),
      ]),
    );
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      path.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      path.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('the media plane takes nothing from the HTTP routes', () => {
    expect(importsFrom('server/src/media', (to) => under(to, 'server/src/http'))).toEqual([]);
  });
});

describe('server/src/pipeline is transport-neutral', () => {
  it('imports neither socket.io nor fastify, nor the adapters that sit over it', () => {
    const transport = (to: string) => under(to, 'server/src/realtime', 'server/src/http') || isPackage(to, 'socket.io', 'fastify', 'ws', 'node:http');
    expect(importsFrom('server/src/pipeline', transport)).toEqual([]);
  });
});
