import { dashboardApiSuite } from './suites/dashboard-api.ts';
dashboardApiSuite('sqlite');
