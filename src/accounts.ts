import type { Config } from './config/schema.ts';

// Access keys → accounts, from the configuration. Each request acts as the account that owns
// its key.
export class Accounts {
  private readonly secrets = new Map<string, string>();
  private readonly owners = new Map<string, string>();

  constructor(config: Pick<Config, 'accounts'>) {
    for (const account of config.accounts) {
      for (const key of account.accessKeys) {
        this.secrets.set(key.accessKeyId, key.accessKeySecret);
        this.owners.set(key.accessKeyId, account.accountId);
      }
    }
  }

  secretOf(accessKeyId: string): string | undefined {
    return this.secrets.get(accessKeyId);
  }

  accountOf(accessKeyId: string): string | undefined {
    return this.owners.get(accessKeyId);
  }
}
