import { supervisionSuite } from '../suites/supervision.ts';
import { pgSkip } from './pg-gate.ts';
supervisionSuite('postgres', pgSkip());
