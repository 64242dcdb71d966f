import { describe, expect, it } from 'vitest';
import { textForChannel } from '../../bot/plainText.js';

describe('textForChannel', () => {
  it('leaves text alone on channels that render markdown', () => {
    for (const channel of ['webchat', 'directline', 'msteams', 'slack', 'telegram', undefined]) expect(textForChannel(channel, '**done**')).toBe('**done**');
  });

  // An agent's three lines typed with Shift+Enter reached Web Chat as one run-on paragraph.
  it('keeps an agent\'s line breaks where markdown would join the lines; paragraphs and other channels are left alone', () => {
    const typed = 'Here is what happens next:\nfirst, I contact the courier\nthen, they collect it\n\nThanks for waiting.';
    for (const channel of ['webchat', 'directline', 'msteams']) {
      expect(textForChannel(channel, typed)).toBe('Here is what happens next:  \nfirst, I contact the courier  \nthen, they collect it\n\nThanks for waiting.');
    }
    for (const channel of ['slack', 'telegram', 'sms']) expect(textForChannel(channel, typed)).toBe(typed);
  });

  it('removes emphasis, code marks and headings on SMS, keeping every word and the address of a link', () => {
    expect(textForChannel('sms', 'It is **shipped** and _on its way_, I *really* checked: `T-000123`')).toBe('It is shipped and on its way, I really checked: T-000123');
    expect(textForChannel('sms', '## Next steps\nsee [the form](https://example.com/f) or https://example.com')).toBe('Next steps\nsee the form (https://example.com/f) or https://example.com');
    expect(textForChannel('sms', '[https://example.com](https://example.com)')).toBe('https://example.com');
  });

  it('keeps marks that are not markup: names with underscores, arithmetic, comparisons, strike-through, lists', () => {
    for (const text of ['send it to order_desk_2 as file_name.txt', '2*3*4 = 24', 'a < b > c', '~~closed~~ open', '- one\n* two\n1. three', 'rated 5 * out of 5']) {
      expect(textForChannel('sms', text)).toBe(text);
    }
  });
});
