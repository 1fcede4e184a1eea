// Reads a server-sent events stream with fetch, one event at a time, as EventSource would.
export interface SseEvent {
  event: string;
  data: any;
}

export interface SseStream {
  status: number;
  // The next event; undefined once the server has ended the stream.
  next(): Promise<SseEvent | undefined>;
  // Events until one satisfies `done` (which is returned last).
  until(done: (e: SseEvent) => boolean): Promise<SseEvent[]>;
  close(): void;
}

export async function openSse(url: string): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const stream: SseStream = {
    status: res.status,
    async next() {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          // Comments (heartbeats) and the retry hint carry no event.
          if (event) return { event, data: data === undefined ? undefined : JSON.parse(data) };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffer += value;
      }
    },
    async until(done) {
      const seen: SseEvent[] = [];
      for (;;) {
        const e = await stream.next();
        if (!e) throw new Error(`the stream ended first; events: ${JSON.stringify(seen.map((x) => x.event))}`);
        seen.push(e);
        if (done(e)) return seen;
      }
    },
    close: () => abort.abort(),
  };
  return stream;
}
