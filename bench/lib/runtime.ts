/**
 * Imported first by the benches that host the platform in their own process, so they measure it
 * under the runtime flags `onelock serve` runs with (src/platform/runtime-flags.ts).
 */
import { relaunchWithRuntimeFlags } from '../../src/platform/runtime-flags.ts';

await relaunchWithRuntimeFlags(process.argv[1]!);
