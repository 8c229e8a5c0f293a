import { apiQualitySuite } from './suites/api-quality.ts';
apiQualitySuite('sqlite');
