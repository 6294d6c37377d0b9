import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderAclsJson } from './kafka-acls.js';
import { REPO_ROOT } from './paths.js';

// Run after editing kafka-acls.ts; a unit test fails while the checked-in file differs from the module.
const target = join(REPO_ROOT, 'infra', 'kafka-acls.json');
await writeFile(target, renderAclsJson());
process.stderr.write(`[acls] wrote ${target}; format it with: npx biome format --write ${target}\n`);
