import { describe, expect, it } from 'vitest';
import { diagnoseSignature } from '../core/diagnose.js';
import { hmacHex } from '../core/signing.js';
import { renderDiagnosis, visible } from './render-diagnosis.js';
import { createTheme } from './theme.js';

const theme = createTheme(false);
const KEY = 'whk_render_0011223344556677';

function caretCheck(lines: string[]): { expected: string; signed: string; column: number } {
  const expected = lines.find((line) => line.trimStart().startsWith('expected'))!;
  const signed = lines.find((line) => line.trimStart().startsWith('signed'))!;
  const column = lines.find((line) => line.includes('^ first difference'))!.indexOf('^');
  return { expected, signed, column };
}

describe('renderDiagnosis', () => {
  it('windows long strings and keeps the caret under the first difference', () => {
    const fields = Array.from({ length: 30 }, (_, i) => `"field${String(i).padStart(2, '0')}":"value ${i}"`).join(',');
    const body = `{${fields},"zamount":2000.00}`;
    const time = '1743060268000';
    const sortedParsed = `${Array.from({ length: 30 }, (_, i) => `field${String(i).padStart(2, '0')}=value ${i}`).join('&')}&zamount=2000&time=${time}`;
    const diagnosis = diagnoseSignature({ rawBody: body, time, signature: hmacHex(KEY, sortedParsed), keys: [{ name: 'Webhook key', key: KEY }] });
    const lines = renderDiagnosis(theme, diagnosis, { verbose: false });
    const { expected, signed, column } = caretCheck(lines);
    expect(expected).toContain('…');
    expect(expected.length).toBeLessThan(130);
    expect(expected[column]).toBe('.');
    expect(signed[column]).toBe('&');
  });

  it('shows a signed newline as \\n, with the caret on it', () => {
    const body = '{"a":"1"}';
    const diagnosis = diagnoseSignature({ rawBody: body, time: '1743060268000', signature: hmacHex(KEY, 'a=1&time=1743060268000\n'), keys: [{ name: 'Webhook key', key: KEY }] });
    const { signed, column } = caretCheck(renderDiagnosis(theme, diagnosis, { verbose: false }));
    expect(signed.slice(column)).toBe('\\n');
    expect(visible('a\r\n\tb\u0001')).toBe('a\\r\\n\\tb\\u0001');
  });
});
