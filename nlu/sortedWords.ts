/** Fixed word lists kept compact for the garbage collector (CC-CEDICT headwords, spelling word lists). */

/**
 * A fixed word list as one sorted string per word length: a lookup is a binary search, and the garbage collector sees
 * eight strings instead of a quarter of a million (as a Set, CC-CEDICT's headwords took 23 MB of heap).
 */
export class SortedWords {
  private readonly byLength: string[] = [];

  constructor(words: Iterable<string>, maxLength: number) {
    const groups: string[][] = [];
    for (const w of words) if (w.length > 0 && w.length <= maxLength) (groups[w.length] ??= []).push(w);
    // Duplicates are dropped after sorting (neighbours) rather than through a Set: a word list of 600,000 words
    // builds in a third of the time.
    groups.forEach((group, length) => (this.byLength[length] = group.sort().filter((w, i) => w !== group[i - 1]).join('')));
  }

  has(word: string): boolean {
    const n = word.length;
    const all = this.byLength[n];
    if (!all) return false;
    let lo = 0;
    let hi = all.length / n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = all.slice(mid * n, mid * n + n);
      if (at === word) return true;
      if (at < word) lo = mid + 1;
      else hi = mid;
    }
    return false;
  }
}
