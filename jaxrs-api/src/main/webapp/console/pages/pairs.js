// "key=value" lines, as the forms take configs and headers.

/** An object of the non-empty lines of text; a line without "=" is an error naming it. */
export function parsePairs(text, what) {
  const pairs = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`Line ${i + 1} of the ${what}s is not key=value: ${line}`);
    pairs[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return pairs;
}
