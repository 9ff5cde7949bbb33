import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Slack incoming webhooks (and any webhook receiver), on 127.0.0.1. It behaves as
 * Slack documents: POST JSON with `text` or `blocks`, at most 50 blocks, header text <= 150 and section
 * text <= 3000 characters, answering `200 ok`, `400 invalid_blocks`, `404 no_service`. Tests script
 * failures (429 with Retry-After, 500, hangs) per request and read back what was accepted.
 */
export type Scripted =
  | { status: number; retryAfter?: string; body?: string }
  | { hang: true }
  | { hangMs: number; status: number };

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  json: unknown;
  /** The fake answered 2xx: the message was accepted. */
  accepted: boolean;
  status: number | null;
  /** performance.now() when the request body had arrived. */
  receivedAt: number;
}

export interface FakeSlack {
  url: string;
  /** A webhook URL on the fake; paths under /services/ are "Slack", others generic receivers. */
  hook(path: string): string;
  /** Responses to use for the next requests (in order), before falling back to 200. */
  script(...responses: Scripted[]): void;
  /** Forget scripted responses not used yet: the receiver has recovered. */
  recover(): void;
  /** Every request received (including ones answered with an error or never answered). */
  received: Received[];
  accepted(): Received[];
  /** Accepted requests per idempotency key. */
  acceptedByKey(): Map<string, number>;
  close(): Promise<void>;
}

function validateSlack(json: unknown): string | null {
  if (typeof json !== 'object' || json === null) return 'invalid_payload';
  const msg = json as { text?: unknown; blocks?: unknown };
  if (typeof msg.text !== 'string' && !Array.isArray(msg.blocks)) return 'no_text';
  if (Array.isArray(msg.blocks)) {
    if (msg.blocks.length > 50) return 'invalid_blocks';
    for (const b of msg.blocks as { type?: string; text?: { text?: string } }[]) {
      const t = b.text?.text ?? '';
      if (b.type === 'header' && t.length > 150) return 'invalid_blocks';
      if (b.type === 'section' && t.length > 3000) return 'invalid_blocks';
    }
  }
  return null;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const queue: Scripted[] = [];
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {}
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
      );
      const entry: Received = {
        path: req.url ?? '/',
        headers,
        body,
        json,
        accepted: false,
        status: null,
        receivedAt: performance.now(),
      };
      received.push(entry);
      const answer = (status: number, text: string, extra: Record<string, string> = {}) => {
        entry.status = status;
        entry.accepted = status >= 200 && status < 300;
        res.writeHead(status, { 'content-type': 'text/plain', ...extra });
        res.end(text);
      };
      if (req.method !== 'POST') return answer(405, 'invalid_method');
      if (!(req.url ?? '').startsWith('/services/') && !(req.url ?? '').startsWith('/hooks/')) {
        return answer(404, 'no_service');
      }
      const next = queue.shift();
      if (next && 'hang' in next) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (next && 'hangMs' in next) {
        setTimeout(() => answer(next.status, next.status < 300 ? 'ok' : 'error'), next.hangMs);
        return;
      }
      if (next) {
        return answer(next.status, next.body ?? (next.status < 300 ? 'ok' : 'error'), {
          ...(next.retryAfter ? { 'retry-after': next.retryAfter } : {}),
        });
      }
      if ((req.url ?? '').startsWith('/services/')) {
        const problem = validateSlack(json);
        if (problem) return answer(400, problem);
      }
      answer(200, 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hook: (path) => `${url}${path}`,
    script: (...r) => queue.push(...r),
    recover: () => queue.splice(0),
    received,
    accepted: () => received.filter((r) => r.accepted),
    acceptedByKey() {
      const m = new Map<string, number>();
      for (const r of received) {
        if (!r.accepted) continue;
        const k = r.headers['idempotency-key'] ?? '';
        m.set(k, (m.get(k) ?? 0) + 1);
      }
      return m;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
