// Calls to the console's JSON endpoints, always as the selected account and region.

export class ConsoleApiError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

export function createApi(scope) {
  function url(path, region) {
    const u = new URL(`/console/api/${path}`, location.origin);
    u.searchParams.set('account', scope.account);
    u.searchParams.set('region', region ?? scope.region);
    return u;
  }

  async function request(method, path, { region, body } = {}) {
    const headers = {};
    // Changes carry the console's header, which a cross-site page cannot send (see access.ts).
    if (method !== 'GET') headers['x-localros-console'] = '1';
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url(path, region), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    if (res.status === 204) return undefined;
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new ConsoleApiError(data.error?.code ?? `HTTP${res.status}`, data.error?.message ?? res.statusText, res.status);
    return data;
  }

  return {
    get: (path, region) => request('GET', path, { region }),
    post: (path, body, region) => request('POST', path, { region, body: body ?? {} }),
    del: (path) => request('DELETE', path),
    streamUrl: (path, region) => url(path, region).toString(),
  };
}

// Reads `load` now and every `ms` while the page stays, calling `show` only when the answer
// changed, so that a re-render never steals the keyboard focus for nothing.
export function watch(load, show, onError, ms) {
  let last = '';
  let timer;
  let stopped = false;
  const tick = async () => {
    try {
      const value = await load();
      const json = JSON.stringify(value);
      if (!stopped && json !== last) {
        last = json;
        show(value);
      }
    } catch (e) {
      if (!stopped) onError(e);
    }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
