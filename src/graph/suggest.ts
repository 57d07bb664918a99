/** The closest of `options` to `word` by edit distance, for "did you mean" hints. */
export function closest(word: string, options: readonly string[]): string | undefined {
  // Hints are for typos: long words get none, and options whose length alone rules them
  // out are skipped, so a huge hostile graph costs no quadratic work here.
  if (word.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const option of options) {
    if (Math.abs(option.length - word.length) >= bestDistance) continue;
    const d = editDistance(word.toLowerCase(), option.toLowerCase());
    if (d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  return best;
}

export function didYouMean(word: string, options: readonly string[]): string {
  const match = closest(word, options);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}
