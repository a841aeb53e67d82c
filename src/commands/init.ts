import type { AppContext } from '../context.js';
import type { CommandInput } from '../program.js';
import type { Output } from '../ui/output.js';
import { profileNameFor } from '../config/load-settings.js';
import { openProfileStore } from '../config/profile-store.js';
import { maskProfile } from '../core/settings.js';
import { createPrompter } from '../ui/prompter.js';
import { renderSavedProfile, type SavedProfileView } from '../ui/render-profile.js';
import { gatherProfile, type InitFlags } from './init-answers.js';

interface InitOptions extends InitFlags {
  yes?: boolean;
}

/** Sets up a profile; nothing is written until every answer is in and valid. */
export async function run(ctx: AppContext, out: Output, { opts, globals }: CommandInput<InitOptions>): Promise<number> {
  const store = openProfileStore(ctx.env);
  const active = store.active();
  const { name } = profileNameFor(globals.profile, ctx.env, active);
  const existing = store.get(name);
  const prompter = createPrompter(ctx, { yes: opts.yes });
  if (prompter.interactive) {
    out.info(existing ? `Updating profile "${name}" in ${store.path} (Enter keeps each current value).` : `Setting up profile "${name}" in ${store.path}.`);
  }
  const profile = await gatherProfile({ flags: opts, env: ctx.env, existing: existing ?? {}, prompter });
  const activate = active === undefined || active === name || store.get(active) === undefined;
  await store.save(name, profile, { activate });
  const view: SavedProfileView = { profile: name, path: store.path, active: activate, settings: maskProfile(profile) };
  out.result(view, (theme) => renderSavedProfile(theme, view));
  return 0;
}
