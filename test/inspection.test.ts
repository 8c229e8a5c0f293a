import { inspectionSuite } from './suites/inspection.ts';
inspectionSuite('sqlite');
