import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The package root: npm runs scripts there, and the bench runs from a bundle elsewhere. */
export const ROOT = process.cwd();
if (!existsSync(join(ROOT, 'bin', 'cashier-check.js'))) throw new Error('run the bench from the package root: npm run bench');

/** One measured figure: a subject against the baseline measured in the same run. */
export interface Figure {
  suite: string;
  name: string;
  unit: string;
  value: number;
  baseline: number;
  baselineName: string;
  /** value / baseline for times (lower is better), value / baseline for rates (higher is better). */
  ratio: number;
  goal?: string;
  met?: boolean;
  extra?: Record<string, number | string>;
}

export function median(values: number[]): number {
  return quantile(values, 0.5);
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A plain-text table, columns padded to their widest cell. */
export function table(figures: Figure[]): string {
  const rows = [
    ['suite', 'measure', 'value', 'baseline', 'ratio', 'goal', ''],
    ...figures.map((f) => [
      f.suite,
      f.name,
      `${formatNumber(f.value)} ${f.unit}`,
      `${formatNumber(f.baseline)} ${f.unit} (${f.baselineName})`,
      `${round(f.ratio, 3).toFixed(3)}×`, // three places: a ratio just under its goal must not print as the goal
      f.goal ?? '',
      f.met === undefined ? '' : f.met ? 'met' : 'MISSED',
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(round(value, Math.abs(value) >= 100 ? 0 : 1));
}
