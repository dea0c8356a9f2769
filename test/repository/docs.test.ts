import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { INSTALLED_PROFILES, RIGHTS } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { commentsOf, readSource, repoRoot, sourceFiles } from './sourceFiles.js';

/**
 * docs/permissions.md and docs/architecture.md are the repository's own copies of the rules the code cites,
 * not mirrors of a file outside it: a checkout (and CI) has only these. They are kept current against the
 * code instead: the rights and installed-profile tables equal `shared/`'s catalogue, and every citation in a
 * comment ("docs/permissions.md rule 7", docs/architecture.md "Media plane") names something the documents hold.
 */

const permissions = readFileSync(join(repoRoot, 'docs/permissions.md'), 'utf8');
const architecture = readFileSync(join(repoRoot, 'docs/architecture.md'), 'utf8');

const SOURCE_DIRS = ['shared/src', 'server/src', 'media-client/src', 'agent-client/src', 'supervisor-client/src', 'test'];

/** A comment as prose: the comment markers gone, its lines joined. */
function prose(comment: string): string {
  return comment
    .split('\n')
    .map((line) =>
      line
        .replace(/^\s*(\/\*\*?|\*\/|\*|\/\/+)?/, '')
        .replace(/\*\/\s*$/, '')
        .trim(),
    )
    .join(' ')
    .replace(/\s+/g, ' ');
}

const comments = SOURCE_DIRS.flatMap(sourceFiles).flatMap((path) => commentsOf(path, readSource(path)).map((comment) => ({ path, text: prose(comment) })));

/** The rows of the markdown table that follows `heading`, each as its trimmed cells. */
function tableAfter(doc: string, heading: string): string[][] {
  const from = doc.indexOf(heading);
  expect(from, `${heading} in the document`).toBeGreaterThanOrEqual(0);
  const lines = doc.slice(from).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows.filter((r) => !r.every((c) => /^-+$/.test(c))).slice(1);
}

const profileRules = [...permissions.slice(permissions.indexOf('## Profile rules')).matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1]));

describe('docs/permissions.md', () => {
  it('lists the rights of the catalogue in shared/, with their ids and labels, in order', () => {
    const rows = tableAfter(permissions, '## Rights');
    expect(rows.map(([id, label]) => ({ id: id?.replace(/`/g, ''), label }))).toEqual(RIGHTS.map(({ id, label }) => ({ id, label })));
  });

  it('gives each installed profile exactly the rights and scope it is installed with', () => {
    const from = permissions.indexOf('## Installed profiles');
    const header = permissions
      .slice(from)
      .split('\n')
      .find((l) => l.startsWith('|'))!;
    const names = header
      .split('|')
      .slice(2, -1)
      .map((c) => c.trim());
    expect(names).toEqual(INSTALLED_PROFILES.map((p) => p.name));
    const rows = tableAfter(permissions, '## Installed profiles');
    const scopeRow = rows.find((r) => r[0]?.startsWith('scope'))!;
    const idOf = new Map<string, string>(RIGHTS.map((r) => [r.label, r.id]));
    for (const [column, profile] of INSTALLED_PROFILES.entries()) {
      const granted = rows.filter((r) => r !== scopeRow && r[column + 1] === 'X').map((r) => idOf.get(r[0]!.replace(/ \*$/, '')));
      expect({ profile: profile.name, rights: granted.sort(), scope: scopeRow[column + 1] }).toEqual({
        profile: profile.name,
        rights: [...profile.rights].sort(),
        scope: profile.scope,
      });
    }
  });

  it('numbers the profile rules 1 to 8', () => {
    expect(profileRules).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('citations in code comments', () => {
  it('name the documents by their place in the repository (docs/...)', () => {
    const bare = comments.filter((c) => /(?<!docs\/)\b(permissions|architecture)\.md/.test(c.text));
    expect(bare.map((c) => `${c.path}: ${c.text.slice(0, 100)}`)).toEqual([]);
  });

  it('cite profile rules as rules of docs/permissions.md, and only rules it has', () => {
    const problems: string[] = [];
    for (const c of comments) {
      for (const m of c.text.matchAll(/\brules? (\d+(?:(?:, | and )\d+)*)/gi)) {
        if (!c.text.includes('docs/permissions.md')) problems.push(`${c.path}: "${m[0]}" without docs/permissions.md`);
        for (const n of m[1]!.split(/, | and /).map(Number)) {
          if (!profileRules.includes(n)) problems.push(`${c.path}: rule ${n} is not in docs/permissions.md`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('cite sections and words of docs/architecture.md that it holds', () => {
    const text = architecture.replace(/\s+/g, ' ').toLowerCase();
    const problems: string[] = [];
    let cited = 0;
    for (const c of comments) {
      for (const m of c.text.matchAll(/docs\/architecture\.md "([^"]+)"/g)) {
        cited++;
        for (const part of m[1]!.split(': ').map((p) =>
          p
            .replace(/\.\.\.$/, '')
            .trim()
            .toLowerCase(),
        )) {
          if (!text.includes(part)) problems.push(`${c.path}: "${part}" is not in docs/architecture.md`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(cited).toBeGreaterThan(10);
  });
});

describe('links between the documents', () => {
  const documents = [
    'README.md',
    ...readdirSync(join(repoRoot, 'docs'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];

  it.each(documents)('%s links only to files that exist', (doc) => {
    const links = [...readFileSync(join(repoRoot, doc), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!.split('#')[0]!)
      .filter((target) => target !== '' && !/^[a-z]+:/.test(target));
    const missing = links.filter((target) => !existsSync(join(repoRoot, dirname(doc), target)));
    expect(missing).toEqual([]);
  });
});
