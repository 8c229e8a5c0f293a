import { ingestSuite } from '../suites/ingest.ts';
import { pgSkip } from './pg-gate.ts';
ingestSuite('postgres', pgSkip());
