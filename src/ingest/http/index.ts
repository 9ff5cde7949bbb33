/** The polite HTTP client every adapter gets through `FetchContext.http`. */
export { blockedRange, type BlockedRange, embeddedIpv4 } from './address-policy.ts';
export { readCappedBody } from './body.ts';
export { charsetFromContentType, decodeBytes, isKnownCharset } from './charset.ts';
export {
  createHttpClient,
  DEFAULT_HTTP_OPTIONS,
  type FetchImpl,
  type HttpClientOptions,
  type PoliteHttpClient,
} from './client.ts';
export { isSecretParamName, REDACTED_VALUE, redactUrl, scrubUrl } from '../../core/redact-url.ts';
export { BlockedAddressError, type Resolver, systemResolver } from './guarded-connect.ts';
export {
  createPoliteClient,
  type HttpTransport,
  literalAddressRefusal,
  type PoliteOptions,
  type TransportResponse,
} from './polite.ts';
export { HostLimiter, hostKey } from './host-limiter.ts';
export { backoffDelay, parseRetryAfterValue, retryAfterFromHeaders } from './retry.ts';
