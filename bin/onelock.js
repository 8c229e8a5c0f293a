#!/usr/bin/env node
// The `onelock` command. TypeScript sources run through tsx's loader, so there is no build step
// between editing the code and running it.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
