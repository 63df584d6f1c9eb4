// A JSON-RPC 2.0 client over POST /rpc. Calls made in the same tick go out
// together as one batch (at most maxBatch per request); the session cookie
// goes along (same-origin fetch, which also sends the Origin header the
// server checks on writes).

export interface RpcErrorData {
  code?: string;
  fields?: Record<string, string>;
  conflict?: unknown;
  retryAfter?: number;
}

export class RpcError extends Error {
  readonly code: number;
  readonly data: RpcErrorData | undefined;

  constructor(code: number, message: string, data?: RpcErrorData) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.data = data;
  }

  /** The torque error code (EINVALID, EUNAUTHORIZED...), when there is one. */
  get torqueCode(): string | undefined {
    return this.data?.code;
  }
}

/** errorMessage is what a failure says: an error's message, else the value as text. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The JSON-RPC code of EUNAUTHORIZED. */
export const codeUnauthorized = -32001;

export interface RpcResponse {
  jsonrpc: '2.0';
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string; data?: RpcErrorData };
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface RpcClientOptions {
  url?: string;
  fetch?: FetchLike;
  /** Called when the server says the caller is not signed in. */
  onUnauthorized?: () => void;
  maxBatch?: number;
}

interface Pending {
  id: number;
  method: string;
  params: object;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class RpcClient {
  private readonly url: string;
  private readonly fetch: FetchLike;
  private readonly onUnauthorized: (() => void) | undefined;
  private readonly maxBatch: number;
  private queue: Pending[] = [];
  private nextId = 1;

  constructor(opts: RpcClientOptions = {}) {
    this.url = opts.url ?? '/rpc';
    this.fetch = opts.fetch ?? ((input, init) => fetch(input, init));
    this.onUnauthorized = opts.onUnauthorized;
    this.maxBatch = opts.maxBatch ?? 50;
  }

  /** call sends method with params (batched with the calls of this tick). */
  call<T>(method: string, params: object): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queue.length === 0) {
        queueMicrotask(() => this.flush());
      }
      this.queue.push({ id: this.nextId++, method, params, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  private flush(): void {
    const queue = this.queue;
    this.queue = [];
    for (let i = 0; i < queue.length; i += this.maxBatch) {
      void this.send(queue.slice(i, i + this.maxBatch));
    }
  }

  private async send(calls: Pending[]): Promise<void> {
    const requests = calls.map((c) => ({ jsonrpc: '2.0', id: c.id, method: c.method, params: c.params }));
    const body = JSON.stringify(requests.length === 1 ? requests[0] : requests);
    let answers: RpcResponse[];
    try {
      const res = await this.fetch(this.url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body,
      });
      if (res.status === 401) {
        this.onUnauthorized?.();
        throw new RpcError(codeUnauthorized, 'sign in to continue', { code: 'EUNAUTHORIZED' });
      }
      const text = await res.text();
      if (!res.ok && !text.startsWith('{') && !text.startsWith('[')) {
        throw new RpcError(-32603, `server answered ${res.status}`);
      }
      answers = parseAnswers(text);
    } catch (e) {
      const err = e instanceof RpcError ? e : new RpcError(-32603, `network error: ${String(e)}`);
      for (const c of calls) c.reject(err);
      return;
    }
    settle(calls, answers, this.onUnauthorized);
  }
}

/** parseAnswers reads a response body: one answer, an array, or nothing. */
export function parseAnswers(text: string): RpcResponse[] {
  if (text.trim() === '') return [];
  const v: unknown = JSON.parse(text);
  return (Array.isArray(v) ? v : [v]) as RpcResponse[];
}

/** settle resolves or rejects each call with its answer, matched by id. */
export function settle(calls: Pending[], answers: RpcResponse[], onUnauthorized?: () => void): void {
  const byId = new Map<unknown, RpcResponse>();
  let anonymous: RpcResponse | undefined; // an error with id null answers the whole batch
  for (const a of answers) {
    if (a.id === null) anonymous = a;
    else byId.set(a.id, a);
  }
  for (const c of calls) {
    const a = byId.get(c.id) ?? anonymous;
    if (!a) {
      c.reject(new RpcError(-32603, `no answer to ${c.method}`));
    } else if (a.error) {
      if (a.error.code === codeUnauthorized) onUnauthorized?.();
      c.reject(new RpcError(a.error.code, a.error.message, a.error.data));
    } else {
      c.resolve(a.result);
    }
  }
}
