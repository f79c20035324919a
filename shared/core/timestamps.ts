// RFC 3339 timestamps written the way protojson writes google.protobuf.Timestamp: UTC, with
// 0, 3, 6 or 9 fraction digits (https://protobuf.dev/reference/protobuf/google.protobuf/#timestamp).

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

// Converts an RFC 3339 time in any zone to protojson's UTC form; undefined when unparsable.
export function toProtoTimestamp(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
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
