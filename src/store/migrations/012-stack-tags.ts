// Tags on stacks (issue 12). Stack groups and templates keep theirs in their own rows since 001
// and 002; a stack's tags live in its row the same way, so every tagged resource type is read and
// written alike (src/store/repos/tags.ts).
export const STACK_TAGS_SCHEMA = `
ALTER TABLE stacks ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
`;
