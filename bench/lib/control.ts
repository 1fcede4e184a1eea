// The control plane (/_localros/faults), as the stop and recovery scenarios use it.
export interface Held {
  operationId: string;
  accountId: string;
  regionId: string;
}

export function control(baseUrl: string) {
  const json = { 'content-type': 'application/json' };
  return {
    async addHold(stackGroupName: string, times: number): Promise<string> {
      const res = await fetch(`${baseUrl}/_localros/faults`, { method: 'POST', headers: json, body: JSON.stringify({ match: { stackGroupName }, effect: 'hold', times }) });
      const body = (await res.json()) as { faultId: string };
      if (res.status !== 201) throw new Error(`adding a hold answered ${res.status}: ${JSON.stringify(body)}`);
      return body.faultId;
    },
    async held(faultId: string): Promise<Held[]> {
      const res = await fetch(`${baseUrl}/_localros/faults`);
      const { faults } = (await res.json()) as { faults: { id: string; held: Held[] }[] };
      return faults.find((f) => f.id === faultId)?.held ?? [];
    },
    // Resolves once `count` targets are held: the deterministic way to catch a rollout mid-way.
    async waitHeld(faultId: string, count: number, timeoutMs = 60_000): Promise<Held[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const held = await this.held(faultId);
        if (held.length >= count) return held;
        if (Date.now() > deadline) throw new Error(`only ${held.length} of ${count} targets held after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    // Deleting a hold releases every target it holds.
    async release(faultId: string): Promise<void> {
      const res = await fetch(`${baseUrl}/_localros/faults/${faultId}`, { method: 'DELETE' });
      if (res.status !== 204) throw new Error(`releasing ${faultId} answered ${res.status}`);
    },
  };
}
