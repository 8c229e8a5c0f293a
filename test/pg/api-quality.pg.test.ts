import { apiQualitySuite } from '../suites/api-quality.ts';
import { pgSkip } from './pg-gate.ts';
apiQualitySuite('postgres', pgSkip());
