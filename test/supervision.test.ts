import { supervisionSuite } from './suites/supervision.ts';
supervisionSuite('sqlite');
