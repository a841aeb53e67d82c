import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeXml, renderJunit } from './junit.js';
import type { CheckReport } from '../core/checklist.js';

describe('renderJunit', () => {
  it('escapes markup and drops characters XML cannot hold', () => {
    expect(escapeXml('a<b>&"c\'\u0001\ud800')).toBe('a&lt;b&gt;&amp;&quot;c&apos;\ufffd\ufffd');
  });

  it('stays valid XML whatever the step text holds', () => {
    const report: CheckReport = {
      steps: [
        { step: 1, title: 'T <1>', status: 'fail', detail: 'got "</failure>" & \u0000', hint: 'fix ]]>', durationMs: 1234 },
        { step: 2, title: 'T2', status: 'skip', detail: 'no URL', hint: 'set it', durationMs: 0 },
        { step: 3, title: 'T3', status: 'warn', detail: 'slow', hint: 'faster', durationMs: 5 },
      ],
      passed: 0, failed: 1, warned: 1, skipped: 1, timedOut: false,
    };
    const xml = renderJunit(report, { suite: 's', timestamp: '2026-01-01T00:00:00' });
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as { testsuites: { testsuite: { testcase: { name: string; time: string; failure?: { message: string } }[] } } };
    const [first] = doc.testsuites.testsuite.testcase;
    expect(first?.name).toBe('step 1: T <1>');
    expect(first?.time).toBe('1.234');
    expect(first?.failure?.message).toContain('</failure>');
  });
});
