// stacks_by_owner (account_id, region_id) is a prefix of stacks_by_name (account_id, region_id,
// name, migration 008), which serves every read it served. Each stack a rollout creates wrote
// both; without it a batch of stack rows inserts in ~30 % less time (issue 17, bench/README.md).
export const DROP_STACKS_BY_OWNER_SCHEMA = `
DROP INDEX stacks_by_owner;
`;
