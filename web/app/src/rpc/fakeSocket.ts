// A WebSocket for the tests of the socket and what uses it: it records what
// is sent, and, as a browser's, completes a close later (drop), not during
// close().

import type { SocketLike } from './socket';

export interface SentRequest {
  id?: number;
  method: string;
  params: Record<string, unknown>;
}

export class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closeCalls = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  /** requests are the sent messages, read. */
  requests(): SentRequest[] {
    return this.sent.map((s) => JSON.parse(s) as SentRequest);
  }
  close() {
    this.closeCalls++;
    if (this.readyState < 2) this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  message(v: unknown) {
    this.onmessage?.({ data: JSON.stringify(v) });
  }
  /** answer answers the last subscribe with subscription id. */
  answer(subscription: string) {
    const req = this.requests().reverse().find((m) => m.method === 'subscribe');
    this.message({ jsonrpc: '2.0', id: req?.id, result: { subscription, app: 'todo', version: 1, page: null, pages: [] } });
  }
}
