/**
 * Long category labels: an axis shows at most `max` characters and the full text goes to the element's
 * title (a tooltip), so a 60-character segment value neither eats the plot nor loses its meaning.
 */
export const LABEL_CHARS = 24;

export function truncateLabel(label: string, max = LABEL_CHARS): string {
  // Code points, not UTF-16 units: never cut an emoji or an accented letter in half.
  const chars = Array.from(label);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : label;
}
