import { lifecycleSuite } from './suites/lifecycle.ts';
lifecycleSuite('sqlite');
