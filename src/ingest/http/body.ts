/**
 * Reads a response body while counting bytes, and stops as soon as the cap is passed. The stream we
 * read is the decompressed one, so a small gzip "bomb" is stopped at the cap too.
 */
export async function readCappedBody(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  onTooLarge: (receivedBytes: number) => Error,
): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw onTooLarge(total);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
