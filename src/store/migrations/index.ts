import { INITIAL_SCHEMA } from './001-initial.ts';
import { STACKS_SCHEMA } from './002-stacks.ts';
import { DRIFT_SCHEMA } from './003-drift.ts';
import { INSTANCE_COUNT_SCHEMA } from './004-instance-count.ts';
import { MEMBERSHIP_VERSION_SCHEMA } from './005-membership-version.ts';
import { TEMPLATE_BODIES_SCHEMA } from './006-template-bodies.ts';
import { USED_NONCES_SCHEMA } from './007-used-nonces.ts';
import { STANDALONE_STACKS_SCHEMA } from './008-standalone-stacks.ts';
import { STACK_NOTIFICATIONS_SCHEMA } from './009-stack-notifications.ts';
import { STACK_TAGS_SCHEMA } from './012-stack-tags.ts';
import { STACK_DRIFT_SCHEMA } from './013-stack-drift.ts';
import { CHANGE_SETS_SCHEMA } from './014-change-sets.ts';
import { MODULES_SCHEMA } from './015-modules.ts';
import { EVENT_BATCHES_SCHEMA } from './017-event-batches.ts';
import { OPERATION_LEASES_SCHEMA } from './020-operation-leases.ts';
import { STOP_BACKLOG_SCHEMA } from './018-stop-backlog.ts';
import { WAIT_CONDITION_SIGNALS_SCHEMA } from './019-wait-condition-signals.ts';
import { TARGET_SHARING_SCHEMA } from './021-target-sharing.ts';
import { HELD_TARGETS_SCHEMA } from './022-held-targets.ts';
import { USED_NONCE_BATCHES_SCHEMA } from './023-used-nonce-batches.ts';
import { DROP_STACKS_BY_OWNER_SCHEMA } from './024-drop-stacks-by-owner.ts';

// Append only: a released migration never changes.
export const MIGRATIONS: readonly string[] = [
  INITIAL_SCHEMA,
  STACKS_SCHEMA,
  DRIFT_SCHEMA,
  INSTANCE_COUNT_SCHEMA,
  MEMBERSHIP_VERSION_SCHEMA,
  TEMPLATE_BODIES_SCHEMA,
  USED_NONCES_SCHEMA,
  STANDALONE_STACKS_SCHEMA,
  STACK_NOTIFICATIONS_SCHEMA,
  STACK_TAGS_SCHEMA,
  STACK_DRIFT_SCHEMA,
  CHANGE_SETS_SCHEMA,
  MODULES_SCHEMA,
  EVENT_BATCHES_SCHEMA,
  STOP_BACKLOG_SCHEMA,
  WAIT_CONDITION_SIGNALS_SCHEMA,
  OPERATION_LEASES_SCHEMA,
  TARGET_SHARING_SCHEMA,
  HELD_TARGETS_SCHEMA,
  USED_NONCE_BATCHES_SCHEMA,
  DROP_STACKS_BY_OWNER_SCHEMA,
];
