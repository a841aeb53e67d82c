import type { Source } from '../core/settings.js';
import { FIELD_LABELS } from '../core/settings-check.js';
import type { Theme } from './theme.js';

export interface SavedProfileView {
  profile: string;
  path: string;
  active: boolean;
  /** The profile as saved, secrets masked. */
  settings: Record<string, string>;
}

export function renderSavedProfile(theme: Theme, view: SavedProfileView): string {
  const state = view.active ? ' (active)' : ` (not the active one; "cashier-check config use ${view.profile}" makes it so)`;
  const lines = [`${theme.ok('✔')} saved profile "${view.profile}"${state} to ${view.path}`];
  for (const [field, value] of Object.entries(view.settings)) lines.push(`  ${theme.dim(label(field))}  ${value}`);
  const sendTest = view.active ? 'cashier-check send-test' : `cashier-check --profile ${view.profile} send-test`;
  lines.push('', `next: ${theme.bold(sendTest)} to check the credentials against the API`);
  return lines.join('\n');
}

export interface ShownSetting {
  value: string | null;
  source: Source | null;
}

export interface ConfigShowView {
  profile: string;
  path: string;
  stored: boolean;
  active: boolean;
  values: Record<string, ShownSetting>;
  problems: { field: string; where: string; problem: string }[];
}

export function renderConfigShow(theme: Theme, view: ConfigShowView): string {
  const state = view.stored ? (view.active ? 'active' : 'stored') : 'not stored; values from env and defaults';
  const lines = [`profile "${view.profile}" (${state})  ${theme.dim(view.path)}`];
  for (const [field, shown] of Object.entries(view.values)) {
    const value = shown.value ?? theme.dim('(not set)');
    lines.push(`  ${theme.dim(label(field))}  ${value}${shown.source ? theme.dim(`  [${shown.source}]`) : ''}`);
  }
  for (const problem of view.problems) lines.push(`${theme.error('problem:')} ${problem.where}: ${problem.problem}`);
  return lines.join('\n');
}

export interface ProfileListView {
  path: string;
  active: string | null;
  profiles: { name: string; active: boolean; environment: string | null; baseUrl: string | null; cashierId: string | null }[];
}

export function renderProfileList(theme: Theme, view: ProfileListView): string {
  if (view.profiles.length === 0) return `no profiles yet in ${view.path}; create one with "cashier-check init"`;
  const width = Math.max(...view.profiles.map((profile) => profile.name.length));
  return view.profiles
    .map((profile) => {
      const marker = profile.active ? theme.bold('*') : ' ';
      const target = profile.baseUrl ?? profile.environment ?? 'sandbox';
      return `${marker} ${profile.name.padEnd(width)}  ${target}${profile.cashierId ? `  desk ${profile.cashierId}` : ''}`;
    })
    .join('\n');
}

function label(field: string): string {
  return (FIELD_LABELS[field as keyof typeof FIELD_LABELS] ?? field).padEnd(22);
}
