import type { Request } from 'express';
import getRawBody from 'raw-body';
import secureJson from 'secure-json-parse';
import { IngestError } from './ingestError';

// sendBeacon with a string body sends text/plain (no CORS preflight); fetch clients send JSON.
const acceptedTypes = new Set(['application/json', 'text/plain']);

/** Checks the content type: `application/json` or `text/plain`, UTF-8. */
export function checkContentType(header: string | undefined): void {
  if (header === undefined || header === '') {
    throw new IngestError(415, 'unsupported_media_type', 'missing Content-Type: send application/json or text/plain');
  }
  const [type = '', ...params] = header.split(';');
  const mediaType = type.trim().toLowerCase();
  if (!acceptedTypes.has(mediaType)) {
    throw new IngestError(415, 'unsupported_media_type', `unsupported Content-Type ${JSON.stringify(mediaType.slice(0, 64))}: send application/json or text/plain`);
  }
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() === 'charset' && !/^"?utf-?8"?$/i.test(value.trim())) {
      throw new IngestError(415, 'unsupported_media_type', `unsupported charset ${JSON.stringify(value.trim().slice(0, 32))}: send UTF-8`);
    }
  }
}

/**
 * Reads and parses the JSON body, at most `limit` bytes. A body an earlier body parser already read
 * (`express.json()`, `express.text()`) is used as it is.
 */
export async function readJsonBody(req: Request, limit: number, timeoutMs: number = defaultBodyTimeoutMs): Promise<unknown> {
  const text = await readText(req, limit, timeoutMs);
  if (typeof text !== 'string') return text;
  if (text.trim() === '') throw new IngestError(400, 'malformed_json', 'empty body: send {"events":[...]}');
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/prototype/i.test(message)) {
      throw new IngestError(400, 'forbidden_key', 'forbidden key "__proto__" or "constructor.prototype" in body');
    }
    throw new IngestError(400, 'malformed_json', `malformed JSON: ${message.slice(0, 120)}`);
  }
}

/** How long a body may take to arrive by default (Node's own request timeout is 300 s). */
export const defaultBodyTimeoutMs = 10_000;

async function readText(req: Request, limit: number, timeoutMs: number): Promise<unknown> {
  const parsed = (req as { body?: unknown }).body;
  if (req.readableEnded || (req as { _body?: boolean })._body === true) {
    if (typeof parsed === 'string') return parsed;
    if (Buffer.isBuffer(parsed)) return parsed.toString('utf8');
    if (parsed !== undefined && parsed !== null && typeof parsed === 'object' && Object.keys(parsed).length > 0) return parsed;
    throw new IngestError(400, 'unreadable_body', 'the body was already consumed by another middleware: mount the ingest handler before body parsers');
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    throw new IngestError(413, 'payload_too_large', `body of ${declared} bytes exceeds the limit of ${limit} bytes`, { Connection: 'close' });
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const body = getRawBody(req, { limit, length: declared, encoding: 'utf8' });
    // A body that trickles in would hold a socket and a buffer for minutes: cut off after timeoutMs.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        body.catch(() => undefined);
        reject(new IngestError(408, 'request_timeout', `the body did not arrive within ${timeoutMs} ms`, { Connection: 'close' }));
      }, timeoutMs);
      timer.unref();
    });
    return await Promise.race([body, timeout]);
  } catch (error) {
    if (error instanceof IngestError) throw error;
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      throw new IngestError(413, 'payload_too_large', `body exceeds the limit of ${limit} bytes`, { Connection: 'close' });
    }
    if (type === 'request.size.invalid') throw new IngestError(400, 'unreadable_body', 'body length does not match Content-Length');
    throw new IngestError(400, 'unreadable_body', `could not read the body: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}
