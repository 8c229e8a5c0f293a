/** Every route module of export inspection and certificates, in registration order. */
import type { RouteModule } from '../../platform/http/app.ts';
import { requirementRoutes } from './requirements.ts';
import { orchardRoutes, packingHouseRoutes } from './facilities.ts';
import { applicationRoutes } from './applications.ts';
import { appointmentRoutes } from './appointments.ts';
import { batchRoutes } from './batches.ts';
import { certificateRoutes } from '../../certificates/routes.ts';
import { verifyRoutes } from '../../certificates/verify-routes.ts';

export const exportInspectionRoutes: RouteModule[] = [requirementRoutes, orchardRoutes, packingHouseRoutes, applicationRoutes, appointmentRoutes, batchRoutes, certificateRoutes, verifyRoutes];
