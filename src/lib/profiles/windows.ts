/** Calendar windows of a profile, from the days the query grouped by (UTC, weeks start on Monday as in ISO 8601). */
import type { WindowUnit } from './format';

export function windowStart(day: string, unit: WindowUnit): string {
  if (unit === 'day') return day;
  if (unit === 'month') return `${day.slice(0, 7)}-01`;
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - back);
  return d.toISOString().slice(0, 10);
}
