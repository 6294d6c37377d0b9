#!/usr/bin/env node
// The `orders` bin: runs the TypeScript CLI through tsx's loader, so there is no separate build.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
