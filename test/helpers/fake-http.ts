import type { HttpClient, HttpRequest } from '../../src/core/source.ts';

/**
 * An HttpClient for adapter unit tests: `json()` answers each request with `answer(req)` as a 200
 * (a throw in `answer` becomes the request's failure), telling `onRequest` first. `request()` and
 * `text()` are not expected to be called and reject. For real HTTP behaviour (retries, 429, bodies)
 * use the contract suite's local server instead.
 */
export function fakeJsonHttp(
  answer: (req: HttpRequest) => unknown,
  onRequest: (req: HttpRequest) => void = () => {},
): HttpClient {
  const json = async <T>(req: HttpRequest) => {
    onRequest(req);
    const data = answer(req) as T;
    return {
      url: req.url,
      status: 200,
      notModified: false,
      headers: new Headers(),
      body: new Uint8Array(),
      etag: null,
      lastModified: null,
      data,
    };
  };
  return {
    json,
    request: () => Promise.reject(new Error('unused')),
    text: () => Promise.reject(new Error('unused')),
  };
}
