import { describe, expect, it } from 'vitest';
import { summariseListen } from '../core/listen.js';
import { renderSummary } from './render-listen.js';
import { createTheme } from './theme.js';

describe('renderSummary', () => {
  const theme = createTheme(undefined);

  it('counts the deliveries and what became of them', () => {
    expect(renderSummary(theme, summariseListen({ received: 3, passed: 2, unsaved: 0 }, 'count', true))).toBe('Stopped (count reached). 3 deliveries: 2 passed, 1 failed.');
    expect(renderSummary(theme, summariseListen({ received: 1, passed: 1, unsaved: 0 }, 'timeout', false))).toBe('Stopped (timed out). 1 delivery: 1 passed, 0 failed.');
  });

  it('says how many were not saved as captures, only when some were not', () => {
    expect(renderSummary(theme, summariseListen({ received: 5000, passed: 5000, unsaved: 1200 }, 'interrupted', false))).toBe('Stopped (interrupted). 5000 deliveries: 5000 passed, 0 failed. 1200 of them not saved as captures.');
  });
});
