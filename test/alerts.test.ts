import { alertsSuite } from './suites/alerts.ts';
alertsSuite('sqlite');
