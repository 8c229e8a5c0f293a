import { gateSuite } from './suites/gate.ts';
gateSuite('sqlite');
