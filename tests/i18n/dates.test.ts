import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../i18n/dates.js';

describe('promised times', () => {
  it('name the time zone they are on, in the customer\'s language', () => {
    // Without it, "by 12:57" read at 13:57 somewhere else looked already past.
    const at = new Date('2026-11-26T18:00:00Z');
    expect(formatDateTime(at, 'en', 'America/New_York')).toBe('Thursday, 26 November at 13:00 Eastern Time');
    expect(formatDateTime(at, 'es', 'Europe/Madrid')).toBe('jueves, 26 de noviembre a las 19:00, hora de Europa central');
    expect(formatDateTime(at, 'zh', 'Asia/Shanghai')).toMatch(/^中国.*时间11月27日 星期五 02:00$/);
    expect(formatDateTime(at, 'fa', 'Asia/Tehran')).toMatch(/21:30 به وقت .*ایران$/);
  });
});

describe('sentences joined into one message', () => {
  it('take a space, except after Chinese full-width punctuation', async () => {
    const { joinSentences } = await import('../../i18n/index.js');
    expect(joinSentences('Sorry about that.', 'I opened T-000001.')).toBe('Sorry about that. I opened T-000001.');
    // "…情况。 已为您创建工单" read as a typo.
    expect(joinSentences('很抱歉出现这种情况。', '已为您创建工单 T-000001。', '')).toBe('很抱歉出现这种情况。已为您创建工单 T-000001。');
  });
});
