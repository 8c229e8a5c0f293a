import { liveDemoSuite } from './suites/live-demo.ts';
liveDemoSuite('sqlite');
