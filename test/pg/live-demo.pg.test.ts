import { liveDemoSuite } from '../suites/live-demo.ts';
import { pgSkip } from './pg-gate.ts';
liveDemoSuite('postgres', pgSkip());
