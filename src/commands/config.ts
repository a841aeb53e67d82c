import type { AppContext } from '../context.js';
import type { CommandInput } from '../program.js';
import type { Output } from '../ui/output.js';
import { profileInForce, unknownProfile } from '../config/load-settings.js';
import { openProfileStore, profileNameProblem, type ProfileStore } from '../config/profile-store.js';
import { checkSettings } from '../core/settings-check.js';
import { DEFAULT_PROFILE, maskSecret, PROFILE_FIELDS, SECRET_FIELDS } from '../core/settings.js';
import { badInput, ExitCode } from '../errors.js';
import { createPrompter } from '../ui/prompter.js';
import { renderConfigShow, renderProfileList, type ConfigShowView, type ProfileListView, type ShownSetting } from '../ui/render-profile.js';

/** `config show [profile]`: the settings in force, masked, each with where it came from. */
export async function show(ctx: AppContext, out: Output, { args, globals }: CommandInput): Promise<number> {
  const store = openProfileStore(ctx.env);
  const active = store.active();
  const { name, profile } = profileInForce(store, args[0] ?? globals.profile, ctx.env);
  const { settings, problems } = checkSettings({ env: ctx.env, profile, profileName: name });
  const values: Record<string, ShownSetting> = {};
  for (const field of PROFILE_FIELDS) {
    const value = settings[field];
    const source = settings.sources[field] ?? null;
    const masked = SECRET_FIELDS.includes(field) || field === 'v1PublicKey';
    values[field] = value === undefined || value === '' ? { value: null, source: null } : { value: masked ? maskSecret(value) : value, source };
  }
  const view: ConfigShowView = {
    profile: name,
    path: store.path,
    stored: profile !== undefined,
    active: (active ?? DEFAULT_PROFILE) === name,
    values,
    problems: problems.map(({ field, where, problem }) => ({ field, where, problem })),
  };
  out.result(view, (theme) => renderConfigShow(theme, view));
  return problems.length > 0 ? ExitCode.usage : ExitCode.ok;
}

/** `config path`: the profile file, for scripts and for editing by hand. */
export async function path(ctx: AppContext, out: Output): Promise<number> {
  const store = openProfileStore(ctx.env);
  out.result({ path: store.path, exists: store.exists }, () => store.path);
  return ExitCode.ok;
}

/** `config list`: every stored profile, the active one marked. */
export async function list(ctx: AppContext, out: Output): Promise<number> {
  const store = openProfileStore(ctx.env);
  const active = store.active();
  const effective = active ?? DEFAULT_PROFILE;
  const view: ProfileListView = {
    path: store.path,
    active: active ?? (store.get(DEFAULT_PROFILE) ? DEFAULT_PROFILE : null),
    profiles: store.list().map((name) => {
      const profile = store.get(name) ?? {};
      return { name, active: name === effective, environment: profile.environment ?? null, baseUrl: profile.baseUrl ?? null, cashierId: profile.cashierId ?? null };
    }),
  };
  out.result(view, (theme) => renderProfileList(theme, view));
  return ExitCode.ok;
}

/** `config use <profile>`: makes a stored profile the active one. */
export async function use(ctx: AppContext, out: Output, { args }: CommandInput): Promise<number> {
  const store = openProfileStore(ctx.env);
  const name = existingProfile(store, args[0]);
  await store.setActive(name);
  out.result({ active: name, path: store.path }, () => `active profile is now "${name}"`);
  return ExitCode.ok;
}

/** `config delete <profile>`: asks first on a terminal; without one, `--yes` is required. */
export async function remove(ctx: AppContext, out: Output, { args, opts }: CommandInput<{ yes?: boolean }>): Promise<number> {
  const store = openProfileStore(ctx.env);
  const name = existingProfile(store, args[0]);
  const wasActive = store.active() === name || (store.active() === undefined && name === DEFAULT_PROFILE);
  if (!opts.yes) {
    const prompter = createPrompter(ctx);
    const sure = await prompter.confirm({ message: `Delete profile "${name}" and its keys from ${store.path}?`, name: 'confirmation to delete', answerWith: '--yes', default: false });
    if (!sure) {
      out.info('nothing deleted');
      return ExitCode.ok;
    }
  }
  await store.delete(name);
  const remaining = store.list();
  const fallback = remaining.includes(DEFAULT_PROFILE) ? DEFAULT_PROFILE : null;
  const view = { deleted: name, active: store.active() ?? fallback, remaining };
  out.result(view, () => {
    const lines = [`deleted profile "${name}"`];
    if (wasActive) {
      if (fallback) lines.push(`it was the active profile; "${fallback}" is used from now on (choose another with "cashier-check config use <profile>")`);
      else lines.push(remaining.length > 0 ? `it was the active profile; choose another with "cashier-check config use <profile>" (${remaining.join(', ')})` : 'no profiles are left; create one with "cashier-check init"');
    }
    return lines.join('\n');
  });
  return ExitCode.ok;
}

function existingProfile(store: ProfileStore, name: string | undefined): string {
  if (name === undefined || name.trim() === '') throw badInput('profile', 'is required', 'give the profile name, e.g. "cashier-check config use default"');
  const problem = profileNameProblem(name);
  if (problem) throw badInput('profile', problem);
  if (store.get(name) === undefined) throw unknownProfile(name, store);
  return name;
}
