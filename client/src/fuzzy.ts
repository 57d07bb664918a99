/**
 * Fuzzy matching for the palette and quick-add search: every query character must appear
 * in order; consecutive runs, word starts and an early first hit score higher.
 *
 * Why our own and not fuse.js (which ComfyUI uses): on our node titles its approximate
 * (Bitap) matching ranks entries that lack the typed letters ("fd" gave Decoder first, "face
 * det" gave Face swapper); an in-order subsequence gives only entries that contain them, in
 * 30 lines against 28 KB of bundle for a palette of a few dozen entries.
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.trim().toLowerCase();
  if (q === '') return 0;
  const t = text.toLowerCase();
  let score = 0;
  let ti = 0;
  let run = 0;
  for (const ch of q) {
    if (ch === ' ') continue;
    const found = t.indexOf(ch, ti);
    if (found < 0) return null;
    const wordStart = found === 0 || /[\s_\-./]/.test(t[found - 1]!) || (text[found] !== undefined && text[found] === text[found]!.toUpperCase() && /[a-z]/i.test(text[found]!));
    run = found === ti ? run + 1 : 0;
    score += 1 + run * 2 + (wordStart ? 3 : 0) - Math.min(found - ti, 5) * 0.2;
    ti = found + 1;
  }
  if (t.startsWith(q)) score += 10;
  return score;
}

/** Items that match, best first. */
export function fuzzyFilter<T>(items: T[], query: string, text: (item: T) => string): T[] {
  if (query.trim() === '') return items;
  return items
    .map((item) => ({ item, score: fuzzyScore(query, text(item)) }))
    .filter((x): x is { item: T; score: number } => x.score !== null)
    .sort((a, b) => b.score - a.score)
    .map((x) => x.item);
}
