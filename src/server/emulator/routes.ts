import { cashierRoutes } from '../cashier-page/routes.js';
import { controlRoutes } from './control.js';
import { openApiRoutes } from './open-api.js';
import type { Route } from './types.js';

export type { Access, EmulatorReply, EmulatorRequest, EmulatorState, Route } from './types.js';

/**
 * Every route the emulator serves: method + path → handler. A feature adds its routes by
 * importing its table and spreading it here.
 */
export const routes: readonly Route[] = [
  ...openApiRoutes,
  ...controlRoutes,
  ...cashierRoutes,
];
