import { describe, expect, it } from 'vitest';
import { DateTime } from '../../../src/tickets/views/common';
import { formatTime, TimeText } from '../../../src/invitations/views/format';

describe('times on pages', () => {
  it('read the same in tickets and invitations, to the minute, in UTC', () => {
    const ms = Date.UTC(2026, 4, 4, 13, 7, 59);
    expect(formatTime(ms)).toBe('2026-05-04 13:07 UTC');
    expect(String(DateTime({ ms }))).toBe(String(TimeText({ ms })));
    expect(String(TimeText({ ms }))).toBe('<time datetime="2026-05-04T13:07:59.000Z">2026-05-04 13:07 UTC</time>');
  });
});
