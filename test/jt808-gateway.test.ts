import { jt808GatewaySuite } from './suites/jt808-gateway.ts';
jt808GatewaySuite('sqlite');
