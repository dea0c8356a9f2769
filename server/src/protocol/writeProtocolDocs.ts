import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { protocolDocuments } from './protocolDocuments.js';

/** `npm run docs:protocol`: writes docs/protocol/ from the wire's schemas. */
const dir = fileURLToPath(new URL('../../../docs/protocol/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const [file, text] of Object.entries(protocolDocuments())) {
  writeFileSync(`${dir}${file}`, text);
  console.log(`wrote docs/protocol/${file}`);
}
