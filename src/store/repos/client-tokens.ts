import type { Db } from '../db.ts';

export interface ClientTokenRow {
  fingerprint: string;
  response: string;
}

// ClientToken memory, scoped per account and action (semantics.md §6).
export const clientTokens = {
  async find(db: Db, accountId: string, action: string, token: string): Promise<ClientTokenRow | undefined> {
    return db.get<ClientTokenRow>(`SELECT fingerprint, response FROM client_tokens WHERE account_id = @accountId AND action = @action AND token = @token`, {
      accountId,
      action,
      token,
    });
  },

  async insert(db: Db, row: { accountId: string; action: string; token: string; fingerprint: string; response: string; createTime: string }): Promise<void> {
    await db.run(
      `INSERT INTO client_tokens (account_id, action, token, fingerprint, response, create_time) VALUES (@accountId, @action, @token, @fingerprint, @response, @createTime)`,
      row,
    );
  },
};
