import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Build output, installed packages and generated pages are not the repository's sources. */
const SKIPPED = new Set(['node_modules', 'dist', 'demo-dist', 'bench-results', 'data', 'artifacts', '.git']);

/** The TypeScript sources under `dir` (relative to the repository), as repository-relative paths. */
export function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (abs: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const path = join(abs, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(relative(repoRoot, path));
    }
  };
  walk(join(repoRoot, dir));
  return found.sort();
}

export function readSource(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8');
}

/** Every comment of a source file, found from its syntax tree; consecutive line comments make one block. */
export function commentsOf(path: string, text: string): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const ranges = new Map<number, ts.CommentRange>();
  const collect = (found: ts.CommentRange[] | undefined) => {
    for (const r of found ?? []) ranges.set(r.pos, r);
  };
  const visit = (node: ts.Node) => {
    collect(ts.getLeadingCommentRanges(text, node.getFullStart()));
    collect(ts.getTrailingCommentRanges(text, node.getEnd()));
    for (const child of node.getChildren(file)) visit(child);
  };
  visit(file);
  const blocks: string[] = [];
  let previous: ts.CommentRange | null = null;
  for (const r of [...ranges.values()].sort((a, b) => a.pos - b.pos)) {
    const body = text.slice(r.pos, r.end);
    const joins =
      previous?.kind === ts.SyntaxKind.SingleLineCommentTrivia &&
      r.kind === ts.SyntaxKind.SingleLineCommentTrivia &&
      /^[ \t]*\r?\n[ \t]*$/.test(text.slice(previous.end, r.pos));
    if (joins) blocks[blocks.length - 1] += `\n${body}`;
    else blocks.push(body);
    previous = r;
  }
  return blocks;
}

/** The module specifiers a file imports or re-exports (static and dynamic `import()`). */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}
