// RpcSocket speaks JSON-RPC over the WebSocket at /rpc/ws: calls (subscribe,
// unsubscribe) and the server's notifications, dispatched by method. When
// the connection drops it reconnects with exponential backoff, and runs the
// onOpen callbacks again so that subscriptions are made anew.

import { RpcError, type RpcResponse } from './client';

/** What RpcSocket needs of a WebSocket (so tests can give a fake). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface RpcSocketOptions {
  url: string;
  /** Connect at once (default); with false, open() connects. */
  connect?: boolean;
  create?: (url: string) => SocketLike;
  /** First delay before reconnecting, doubled each failure up to maxDelay (ms). */
  baseDelay?: number;
  maxDelay?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

type Handler = (params: unknown) => void;

const OPEN = 1;

/** backoff is the wait before reconnect attempt n (0-based). */
export function backoff(attempt: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** attempt);
}

export class RpcSocket {
  private readonly opts: Required<Omit<RpcSocketOptions, 'create' | 'connect'>> & { create: (url: string) => SocketLike };
  private ws: SocketLike | null = null;
  private closed = false;
  private attempt = 0;
  private timer: unknown = null;
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private handlers = new Map<string, Set<Handler>>();
  private openCallbacks = new Set<() => void>();
  private waiting: Array<{ send: () => void; reject: (e: unknown) => void }> = [];

  constructor(opts: RpcSocketOptions) {
    this.opts = {
      url: opts.url,
      create: opts.create ?? ((url) => new WebSocket(url) as unknown as SocketLike),
      baseDelay: opts.baseDelay ?? 500,
      maxDelay: opts.maxDelay ?? 15000,
      setTimer: opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms)),
      clearTimer: opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>)),
    };
    if (opts.connect === false) this.closed = true;
    else this.connect();
  }

  /** open connects again after close (or a first time, made with connect: false). */
  open(): void {
    if (!this.closed) return;
    this.closed = false;
    this.attempt = 0;
    if (!this.ws && this.timer === null) this.connect();
  }

  get connected(): boolean {
    return this.ws?.readyState === OPEN;
  }

  /** on listens to a notification; it returns the function that stops it. */
  on(method: string, fn: Handler): () => void {
    let set = this.handlers.get(method);
    if (!set) {
      set = new Set();
      this.handlers.set(method, set);
    }
    set.add(fn);
    return () => set.delete(fn);
  }

  /** onOpen runs fn on every (re)connection, and now when already open. */
  onOpen(fn: () => void): () => void {
    this.openCallbacks.add(fn);
    if (this.connected) fn();
    return () => this.openCallbacks.delete(fn);
  }

  /** call sends a request once the socket is open and waits for its answer. */
  call<T>(method: string, params: object): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const send = () => {
        const id = this.nextId++;
        this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        this.ws?.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      };
      if (this.closed) reject(new RpcError(-32603, 'connection closed'));
      else if (this.connected) send();
      else this.waiting.push({ send, reject });
    });
  }

  /** notify sends a notification (no answer) when the socket is open. */
  notify(method: string, params: object): void {
    if (this.connected) this.ws?.send(JSON.stringify({ jsonrpc: '2.0', method, params }));
  }

  /**
   * close ends the connection at once: the socket is let go (its close
   * completes later, unheard), so that open() may connect again right away
   * (React's strict mode closes and opens in one go); calls waiting for the
   * connection and calls waiting for an answer fail.
   */
  close(): void {
    this.closed = true;
    if (this.timer !== null) this.opts.clearTimer(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = null;
      ws.onmessage = null;
      ws.onerror = null;
      ws.onclose = null;
      ws.close(1000, 'done');
    }
    this.failPending('connection closed');
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w.reject(new RpcError(-32603, 'connection closed'));
  }

  private connect(): void {
    if (this.closed) return;
    const ws = this.opts.create(this.opts.url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      const waiting = this.waiting;
      this.waiting = [];
      for (const w of waiting) w.send();
      for (const fn of [...this.openCallbacks]) fn();
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') this.receive(ev.data);
    };
    ws.onerror = () => {
      /* onclose follows */
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.failPending('connection lost');
      if (this.closed) return;
      const delay = backoff(this.attempt++, this.opts.baseDelay, this.opts.maxDelay);
      this.timer = this.opts.setTimer(() => {
        this.timer = null;
        this.connect();
      }, delay);
    };
  }

  private failPending(message: string): void {
    const pending = this.pending;
    this.pending = new Map();
    for (const p of pending.values()) p.reject(new RpcError(-32603, message));
  }

  /** receive handles one message: answers, notifications, or a batch of them. */
  receive(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    for (const m of Array.isArray(msg) ? msg : [msg]) {
      if (typeof m !== 'object' || m === null) continue;
      const o = m as RpcResponse & { method?: string; params?: unknown };
      if (typeof o.method === 'string' && o.id === undefined) {
        for (const fn of [...(this.handlers.get(o.method) ?? [])]) fn(o.params);
        continue;
      }
      const p = typeof o.id === 'number' ? this.pending.get(o.id) : undefined;
      if (!p || typeof o.id !== 'number') continue;
      this.pending.delete(o.id);
      if (o.error) p.reject(new RpcError(o.error.code, o.error.message, o.error.data));
      else p.resolve(o.result);
    }
  }
}

/** socketURL is the WebSocket address of path on this page's host. */
export function socketURL(path: string, loc: { protocol: string; host: string } = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${path}`;
}
