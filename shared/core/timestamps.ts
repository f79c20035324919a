// RFC 3339 timestamps written the way protojson writes google.protobuf.Timestamp: UTC, with
// 0, 3, 6 or 9 fraction digits (https://protobuf.dev/reference/protobuf/google.protobuf/#timestamp).

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

// Kubernetes' own form (metav1.Time: UTC, whole seconds) and JavaScript's toISOString (milliseconds).
const SIMPLE_UTC =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?Z$/;

// Days in month mo (1–12) of year y, Gregorian.
function daysIn(y: number, mo: number): number {
  if (mo !== 2) return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
}

// protojson's form of a simple UTC value of a valid instant without the Date round trip (the statement
// build formats two per TaskRun); else undefined. Years below 100 take the general path, as Date.UTC
// reads them as 19xx.
function simpleUtc(value: string): string | undefined {
  const m = SIMPLE_UTC.exec(value);
  if (!m) return undefined;
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = m
    .slice(1, 7)
    .map(Number);
  const valid = y >= 100 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo);
  if (!valid || h >= 24 || mi >= 60 || s >= 60) return undefined;
  return m[7] === '000' ? `${value.slice(0, 19)}Z` : value;
}

// Converts an RFC 3339 time in any zone to protojson's UTC form; undefined when unparsable.
export function toProtoTimestamp(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const simple = simpleUtc(value);
  if (simple !== undefined) return simple;
  const m = RFC3339.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const offsetMinutes = zoneOffsetMinutes(zone);
  const millis =
    Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!) - offsetMinutes * 60_000;
  if (Number.isNaN(millis)) return undefined;
  const base = new Date(millis).toISOString().slice(0, 19);
  return `${base}${fraction(frac.padEnd(9, '0'))}Z`;
}

function zoneOffsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const [hh = '0', mm = '0'] = zone.slice(1).split(':');
  return sign * (Number(hh) * 60 + Number(mm));
}

function fraction(nanos: string): string {
  if (/^0+$/.test(nanos)) return '';
  if (nanos.endsWith('000000')) return `.${nanos.slice(0, 3)}`;
  if (nanos.endsWith('000')) return `.${nanos.slice(0, 6)}`;
  return `.${nanos}`;
}
