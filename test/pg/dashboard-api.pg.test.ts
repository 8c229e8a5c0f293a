import { dashboardApiSuite } from '../suites/dashboard-api.ts';
import { pgSkip } from './pg-gate.ts';
dashboardApiSuite('postgres', pgSkip());
