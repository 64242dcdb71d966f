import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../i18n/dates.js';

describe('promised times', () => {
  it('name the time zone they are on, in the customer\'s language', () => {
    // Without it, "by 12:57" read at 13:57 somewhere else looked already past.
    const at = new Date('2026-11-26T18:00:00Z');
    expect(formatDateTime(at, 'en', 'America/New_York')).toBe('Thursday, 26 November at 13:00 Eastern Time');
    expect(formatDateTime(at, 'es', 'Europe/Madrid')).toBe('jueves, 26 de noviembre a las 19:00, hora de Europa central');
    expect(formatDateTime(at, 'zh', 'Asia/Shanghai')).toMatch(/^中国.*时间11月27日 星期五 02:00$/);
    expect(formatDateTime(at, 'fa', 'Asia/Tehran')).toMatch(/۲۱:۳۰ به وقت .*ایران$/);
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

describe('numbers filled into a text', () => {
  it('are in Persian digits in Persian, except in ticket ids, addresses and links', async () => {
    const { t } = await import('../../i18n/index.js');
    expect(t('fa', 'handoff.movedUp', { position: 2, wait: '5' })).not.toMatch(/[0-9]/);
    expect(t('fa', 'order.askVerification', { number: '10435' })).toContain('۱۰۴۳۵');
    expect(formatDateTime(new Date('2026-11-26T18:00:00Z'), 'fa', 'Asia/Tehran')).not.toMatch(/[0-9]/);
    expect(t('fa', 'ticket.open', { id: 'T-000015', category: 'x', opened: 'y', due: 'z' })).toContain('T-000015');
    const answer = 'شماره پیگیری مرسوله شما 9405511899 است و فردا می‌رسد، لطفاً صبور باشید';
    expect(t('fa', 'ticket.reply', { id: 'T-000015', agent: 'ana', reply: answer })).toContain(answer);
    expect(t('en', 'order.askVerification', { number: '10435' })).toContain('10435');
  });
});
