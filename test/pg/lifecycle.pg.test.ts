import { lifecycleSuite } from '../suites/lifecycle.ts';
import { pgSkip } from './pg-gate.ts';
lifecycleSuite('postgres', pgSkip());
