// Operation leases (engine/leases.ts): a clean stop hands a replica's operations over at once.
// The lease sweep runs on its own timer, so a stop can come while a sweep is adopting an
// orphaned operation; what that sweep claims must be released too, or the lease outlives the
// replica and no other one takes the operation over until it expires.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptOperation } from '../../src/engine/accept.ts';
import { Leases } from '../../src/engine/leases.ts';
import { createLogger } from '../../src/log.ts';
import { stackGroups } from '../../src/store/repos/stack-groups.ts';
import { openSqlite } from '../../src/store/sqlite.ts';
import { groupRow } from '../helpers/rows.ts';

const NOW = '2026-12-03T00:00:00';

describe('operation leases', () => {
  it('a stop during a sweep that is adopting an orphaned operation leaves no lease behind', async () => {
    const db = openSqlite({ dataDir: '', inMemory: true });
    try {
      const g = groupRow('g1', NOW);
      await stackGroups.insert(db, g);
      const id = await acceptOperation(db, {
        group: g,
        action: 'CREATE',
        regionOrder: ['cn-beijing'],
        targets: [{ accountId: '1000001', regionId: 'cn-beijing' }],
        preferences: {},
        description: null,
        retainStacks: null,
        runSpec: { templateBody: '{}', parameters: [], disableRollback: false, timeoutInMinutes: 60 },
        now: NOW,
      });
      const leases = new Leases({ db, log: createLogger('silent'), timeoutMs: 300, now: () => Date.now() });
      let adopting!: () => void;
      const adopted = new Promise<void>((resolve) => (adopting = resolve));
      let letGo!: () => void;
      const held = new Promise<void>((resolve) => (letGo = resolve));
      const claims: boolean[] = [];
      leases.start({
        running: () => [],
        lost: () => {},
        // The engine's adoption claims the lease (engine.ts track); here it waits for the test first.
        adopt: async (operationId) => {
          adopting();
          await held;
          claims.push(await leases.claim(operationId));
        },
      });
      // The sweep's timer does not keep the process alive; this deadline does, and fails the test
      // rather than hang it if no sweep ever adopts.
      let deadline: NodeJS.Timeout | undefined;
      await Promise.race([adopted, new Promise((_, reject) => (deadline = setTimeout(() => reject(new Error('no sweep adopted the operation within 10 s')), 10_000)))]);
      clearTimeout(deadline);
      const stopped = leases.stop();
      letGo();
      await stopped;

      assert.deepEqual(await db.all(`SELECT operation_id FROM operation_leases`), [], 'no lease is left behind');
      assert.deepEqual(claims, [false], 'a claim after the stop began is refused');
      assert.equal(await leases.claim(id), false, 'a stopped replica claims nothing');
    } finally {
      await db.close();
    }
  });
});
