import { alertsSuite } from '../suites/alerts.ts';
import { pgSkip } from './pg-gate.ts';
alertsSuite('postgres', pgSkip());
