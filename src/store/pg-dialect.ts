// The one place where the SQL written for SQLite becomes PostgreSQL: statements (parameters,
// SQLite functions, rowid) and migrations (types, collation, triggers). The repositories keep a
// single SQL text per statement; what differs between the two databases is listed here.

// Quoted strings and identifiers are copied as they are; everything else may be rewritten.
const TOKENS = /'(?:[^']|'')*'|"(?:[^"]|"")*"|@([A-Za-z_][A-Za-z0-9_]*)(\s+IS\s+(?:NOT\s+)?NULL\b)?|\?/g;

export interface PgStatement {
  text: string;
  // For each $n, the name of the SQLite parameter it binds (named SQL), or its index (`?` SQL).
  slots: (string | number)[];
}

// `@name` → `$n` (one $n per name), `?` → `$n` in order. A parameter tested with IS NULL gets a
// placeholder of its own cast to text: PostgreSQL must know a parameter's type, and `$1 IS NULL`
// alone does not say it, while the same name compared with a number elsewhere must stay untyped.
export function pgStatement(sql: string): PgStatement {
  const slots: (string | number)[] = [];
  const byName = new Map<string, number>();
  let positional = 0;
  const text = rewriteFunctions(sql).replace(TOKENS, (whole, name: string | undefined, isNull: string | undefined) => {
    if (whole === '?') {
      slots.push(positional++);
      return `$${slots.length}`;
    }
    if (name === undefined) return whole;
    if (isNull) {
      slots.push(name);
      return `$${slots.length}::text${isNull}`;
    }
    let n = byName.get(name);
    if (n === undefined) {
      slots.push(name);
      n = slots.length;
      byName.set(name, n);
    }
    return `$${n}`;
  });
  return { text, slots };
}

// SQLite forms with a PostgreSQL equivalent: json_each over a JSON array of strings (IN lists
// bound as one parameter), and LIMIT -1, SQLite's "no limit" (PostgreSQL's is LIMIT NULL).
function rewriteFunctions(sql: string): string {
  return sql
    .replace(/SELECT value FROM json_each\((@[A-Za-z_][A-Za-z0-9_]*)\)/g, (_w, param: string) => `SELECT value FROM json_array_elements_text(CAST(${param} AS json))`)
    .replace(/\bLIMIT (@[A-Za-z_][A-Za-z0-9_]*)/g, (_w, param: string) => `LIMIT NULLIF(${param}, -1)`);
}

// The column every translated CREATE TABLE gains, in place of SQLite's implicit rowid; it is left
// out of the rows the driver returns.
export const ROWID_COLUMN = 'rowid';

// Migrations whose SQLite text has no mechanical translation (triggers, JSON aggregation).
const MIGRATION_OVERRIDES: Record<number, string> = {
  // 004: instance counts kept by triggers.
  3: `
CREATE TABLE stack_group_sizes (
  group_id TEXT COLLATE "C" PRIMARY KEY,
  instances BIGINT NOT NULL
);
INSERT INTO stack_group_sizes (group_id, instances) SELECT group_id, COUNT(*) FROM stack_instances GROUP BY group_id;
CREATE FUNCTION stack_instances_counted_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stack_group_sizes AS s (group_id, instances) VALUES (NEW.group_id, 1)
    ON CONFLICT (group_id) DO UPDATE SET instances = s.instances + 1;
  RETURN NULL;
END $$;
CREATE FUNCTION stack_instances_counted_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stack_group_sizes SET instances = instances - 1 WHERE group_id = OLD.group_id;
  RETURN NULL;
END $$;
CREATE TRIGGER stack_instances_counted_in AFTER INSERT ON stack_instances FOR EACH ROW EXECUTE FUNCTION stack_instances_counted_in();
CREATE TRIGGER stack_instances_counted_out AFTER DELETE ON stack_instances FOR EACH ROW EXECUTE FUNCTION stack_instances_counted_out();
`,
  // 005: the same triggers also count membership changes.
  4: `
ALTER TABLE stack_group_sizes ADD COLUMN membership_version BIGINT NOT NULL DEFAULT 0;
CREATE OR REPLACE FUNCTION stack_instances_counted_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stack_group_sizes AS s (group_id, instances, membership_version) VALUES (NEW.group_id, 1, 1)
    ON CONFLICT (group_id) DO UPDATE SET instances = s.instances + 1, membership_version = s.membership_version + 1;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION stack_instances_counted_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stack_group_sizes SET instances = instances - 1, membership_version = membership_version + 1 WHERE group_id = OLD.group_id;
  RETURN NULL;
END $$;
`,
  // 017: events as one JSON array per stack action.
  13: `
CREATE TABLE stack_event_batches (
  stack_id TEXT COLLATE "C" NOT NULL,
  first_seq BIGINT NOT NULL,
  event_count BIGINT NOT NULL,
  events TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (stack_id, first_seq)
);
INSERT INTO stack_event_batches (stack_id, first_seq, event_count, events)
  SELECT stack_id, MIN(seq), COUNT(*),
    json_agg(json_build_array(logical_resource_id, resource_type, physical_resource_id, status, status_reason, create_time) ORDER BY seq)::text
  FROM stack_events GROUP BY stack_id;
DROP TABLE stack_events;
`,
};

// A SQLite migration as PostgreSQL DDL. TEXT compares byte-wise as in SQLite (collation "C"),
// INTEGER is 64-bit, and each table gets the rowid column that SQLite gives it implicitly.
export function pgMigration(index: number, sqlite: string): string {
  const override = MIGRATION_OVERRIDES[index];
  if (override !== undefined) return override;
  return sqlite
    .replace(/\bINTEGER PRIMARY KEY AUTOINCREMENT\b/g, 'BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY')
    .replace(/\bINTEGER\b/g, 'BIGINT')
    .replace(/\bREAL\b/g, 'DOUBLE PRECISION')
    .replace(/\bTEXT\b/g, 'TEXT COLLATE "C"')
    .replace(/(CREATE TABLE \w+ \()([\s\S]*?)\n\)( WITHOUT ROWID)?;/g, (whole, head: string, body: string, withoutRowid: string | undefined) =>
      withoutRowid ? `${head}${body}\n);` : `${head}${body},\n  ${ROWID_COLUMN} BIGINT GENERATED ALWAYS AS IDENTITY\n);`,
    );
}
