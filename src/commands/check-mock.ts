import type { AppContext } from '../context.js';
import type { HttpClient } from '../http/client.js';
import type { Rig } from './check.js';

export async function startMockRig(_ctx: AppContext, _input: { vulnerable: boolean; client: HttpClient }): Promise<Rig> {
  throw new Error('not yet');
}
