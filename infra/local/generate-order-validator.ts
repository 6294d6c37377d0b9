import path from 'node:path';
import { generateOrderValidator, orderValidatorFile } from './order-validator.js';

// `npm run generate:validator [-- --check]`: after a change to the order schema.
const check = process.argv.includes('--check');
const file = path.relative(process.cwd(), orderValidatorFile);
const current = await generateOrderValidator({ check });
if (current) process.stdout.write(`${file} is up to date\n`);
else if (check) {
  process.stderr.write(`${file} is older than the order schema: run npm run generate:validator\n`);
  process.exitCode = 1;
} else process.stdout.write(`${file} written\n`);
