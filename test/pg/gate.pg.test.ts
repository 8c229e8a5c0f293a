import { gateSuite } from '../suites/gate.ts';
import { pgSkip } from './pg-gate.ts';
gateSuite('postgres', pgSkip());
