// Fn::FormatTime ("Fn::FormatTime" page): `format` or [format, time_zone] -> the current time as
// Python's strftime writes it (the page's directive table: %y %Y %m %d %H %I %M %S %a %A %b %B %c
// %j %p %U %w %W %x %X, plus %Z %z and %%), in UTC unless an IANA time zone is given. Directives
// the page does not list are kept as they are.
import { ApiError } from '../../protocol/errors.ts';
import { usageError } from './intrinsics.ts';
import type { JsonValue } from './types.ts';

const USAGE = 'format or [format, time_zone]';
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function failure(detail: string): ApiError {
  return new ApiError('InvalidTemplate', { reason: `"Fn::FormatTime": ${detail}` });
}

interface LocalTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
  yearDay: number; // 1-366
  offsetMinutes: number;
  zoneName: string;
}

function localTime(now: Date, timeZone: string): LocalTime {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      timeZoneName: 'short',
    });
  } catch {
    throw failure(`unknown time zone ${JSON.stringify(timeZone)}`);
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  const [year, month, day, hour, minute, second] = [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second].map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const midnight = Date.UTC(year, month - 1, day);
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    weekday: new Date(midnight).getUTCDay(),
    yearDay: Math.round((midnight - Date.UTC(year, 0, 1)) / 86_400_000) + 1,
    offsetMinutes: Math.round((asUtc - Math.floor(now.getTime() / 1000) * 1000) / 60_000),
    zoneName: timeZone === 'UTC' ? 'UTC' : (parts.timeZoneName ?? timeZone),
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

// Week of the year with `firstDay` (0 Sunday, 1 Monday) starting each week; days before the
// year's first such day are week 0 (Python's %U / %W).
function weekOfYear(t: LocalTime, firstDay: number): number {
  const daysSinceWeekStart = (t.weekday - firstDay + 7) % 7;
  return Math.floor((t.yearDay - 1 - daysSinceWeekStart + 7) / 7);
}

function directive(letter: string, t: LocalTime): string | undefined {
  switch (letter) {
    case 'y': return pad(t.year % 100);
    case 'Y': return String(t.year);
    case 'm': return pad(t.month);
    case 'd': return pad(t.day);
    case 'H': return pad(t.hour);
    case 'I': return pad(t.hour % 12 === 0 ? 12 : t.hour % 12);
    case 'M': return pad(t.minute);
    case 'S': return pad(t.second);
    case 'a': return DAYS[t.weekday]!.slice(0, 3);
    case 'A': return DAYS[t.weekday]!;
    case 'b': return MONTHS[t.month - 1]!.slice(0, 3);
    case 'B': return MONTHS[t.month - 1]!;
    case 'c': return `${DAYS[t.weekday]!.slice(0, 3)} ${MONTHS[t.month - 1]!.slice(0, 3)} ${String(t.day).padStart(2, ' ')} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)} ${t.year}`;
    case 'j': return pad(t.yearDay, 3);
    case 'p': return t.hour < 12 ? 'AM' : 'PM';
    case 'U': return pad(weekOfYear(t, 0));
    case 'w': return String(t.weekday);
    case 'W': return pad(weekOfYear(t, 1));
    case 'x': return `${pad(t.month)}/${pad(t.day)}/${pad(t.year % 100)}`;
    case 'X': return `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
    case 'Z': return t.zoneName;
    case 'z': {
      const abs = Math.abs(t.offsetMinutes);
      return `${t.offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
    }
    case '%': return '%';
    default: return undefined;
  }
}

export function formatTime(args: JsonValue, now: Date): JsonValue {
  const [format, timeZone = 'UTC'] = Array.isArray(args) ? (args as [JsonValue, JsonValue?]) : [args];
  if (typeof format !== 'string' || typeof timeZone !== 'string' || (Array.isArray(args) && (args.length < 1 || args.length > 2))) {
    throw usageError('Fn::FormatTime', USAGE);
  }
  const t = localTime(now, timeZone);
  return format.replace(/%(.)/gs, (whole, letter: string) => directive(letter, t) ?? whole);
}
