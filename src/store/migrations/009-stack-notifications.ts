// The outbox of NotificationURLs (issue 12): one row per event and URL, written in the
// transaction that writes the event, delivered in order per URL with retries (src/engine/
// notifications.ts). Rows stay after delivery so that the control plane can show them.
export const STACK_NOTIFICATIONS_SCHEMA = `
CREATE TABLE stack_notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  stack_id TEXT NOT NULL,
  url TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  last_error TEXT,
  create_time TEXT NOT NULL,
  delivered_time TEXT
);
CREATE INDEX stack_notifications_pending ON stack_notifications(url, id) WHERE status = 'PENDING';
`;
