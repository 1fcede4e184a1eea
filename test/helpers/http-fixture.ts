// A throw-away HTTP server on a free loopback port, for what a test serves localros (templates,
// stack policies, NotificationURL endpoints).
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpFixture {
  /** `http://127.0.0.1:port`, without a trailing slash. */
  readonly url: string;
  /** Closes the server, dropping connections a handler left unanswered. */
  close(): Promise<void>;
}

export async function serveHttp(handler: RequestListener): Promise<HttpFixture> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
