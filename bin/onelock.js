#!/usr/bin/env node
// The `onelock` command. TypeScript sources run through tsx's loader, so there is no build step
// between editing the code and running it.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
if (process.argv[2] === 'serve') {
  // the server runs with V8's worker pool sized to the machine (src/platform/runtime-flags.ts)
  const { relaunchWithRuntimeFlags } = await import('../src/platform/runtime-flags.ts');
  await relaunchWithRuntimeFlags(fileURLToPath(import.meta.url));
}
await import('../src/cli/main.ts');
