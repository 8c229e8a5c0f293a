import { inspectionSuite } from '../suites/inspection.ts';
import { pgSkip } from './pg-gate.ts';
inspectionSuite('postgres', pgSkip());
