import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** One recorded exchange of a VCR.py (YAML) or Betamax (JSON) cassette. */
export interface RecordedExchange {
  method: string;
  uri: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface VcrCassette {
  interactions: {
    request: { method: string; uri: string };
    response: { status: { code: number }; headers: Record<string, string[]>; body: { string: string } };
  }[];
}

/** The exchanges of a VCR.py YAML cassette (Mastodon.py's recordings), headers joined to one value. */
export function readVcrCassette(path: string): RecordedExchange[] {
  const cassette = parse(readFileSync(path, 'utf8')) as VcrCassette;
  return cassette.interactions.map((i) => ({
    method: i.request.method,
    uri: i.request.uri,
    status: i.response.status.code,
    headers: Object.fromEntries(Object.entries(i.response.headers).map(([k, v]) => [k, v.join(', ')])),
    body: i.response.body.string,
  }));
}

/** The first exchange whose method and URI (path and query) match. */
export function findExchange(
  exchanges: RecordedExchange[],
  method: string,
  uriPart: string,
): RecordedExchange {
  const hit = exchanges.find((e) => e.method === method && e.uri.includes(uriPart));
  if (!hit) throw new Error(`no recorded ${method} ${uriPart}`);
  return hit;
}
