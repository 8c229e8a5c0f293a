import { ingestSuite } from './suites/ingest.ts';
ingestSuite('sqlite');
