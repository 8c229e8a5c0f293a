import { jt808GatewaySuite } from '../suites/jt808-gateway.ts';
import { pgSkip } from './pg-gate.ts';
jt808GatewaySuite('postgres', pgSkip());
