// MODULE resource types (issue 13; ROS API reference: RegisterResourceType,
// ListResourceTypeVersions, ListResourceTypeRegistrations, SetResourceType,
// DeregisterResourceType). A registration adds version v<N+1> of the type; the first version is
// the default. Registration completes at once: the module template is validated in the call.
import { randomUUID } from 'node:crypto';
import { rosTime } from '../engine/clock.ts';
import { ApiError, invalidParameter } from '../protocol/errors.ts';
import { expandModuleBody } from '../stacks/sources/template-modules.ts';
import { resolveTemplateSourceAsWritten, type TemplateSource } from '../stacks/sources/template-source.ts';
import type { Db } from '../store/db.ts';
import { moduleVersions, type ModuleVersion } from '../store/repos/modules.ts';
import { exactlyOne, idempotent, paging } from './common.ts';
import type { Params } from './action-params.ts';
import type { ActionTable, RequestContext } from './types.ts';

const ENTITY_TYPE = 'Module';
const COMPLETE_REASON = 'Module is created successfully';
const NAME_PART = /^[A-Za-z0-9]{2,}$/;
const RESERVED_ORGANIZATIONS = new Set(['ros', 'dev', 'test', 'debug']);

// ROS "Develop a module": MODULE::Organization::Service::Usecase, each part two or more letters
// and digits; the organization avoids the cloud's own names.
function checkModuleName(type: string): void {
  const parts = type.split('::');
  const [prefix, org, service, usecase] = parts;
  const bad = (why: string) => invalidParameter('ResourceType', `${type} ${why}`);
  if (parts.length !== 4 || prefix !== 'MODULE') throw bad('must have the form MODULE::Organization::Service::Usecase');
  if (![org, service, usecase].every((p) => NAME_PART.test(p))) throw bad('must have parts of at least two letters or digits');
  const lower = org.toLowerCase();
  if (['alicloud', 'alibaba', 'aliyun'].some((w) => lower.includes(w)) || lower.startsWith('acs') || RESERVED_ORGANIZATIONS.has(lower)) {
    throw bad(`uses a reserved organization name (${org})`);
  }
}

const versionId = (v: ModuleVersion) => `v${v.version_number}`;

async function versionsOf(db: Db, ctx: RequestContext, type: string): Promise<ModuleVersion[]> {
  const versions = await moduleVersions.ofType(db, ctx.accountId, type);
  if (!versions.length) throw new ApiError('ResourceTypeNotFound', { type });
  return versions;
}

function findVersion(versions: ModuleVersion[], type: string, id: string): ModuleVersion {
  const found = versions.find((v) => versionId(v) === id);
  if (!found) throw new ApiError('ResourceTypeVersionNotFound', { type, version: id });
  return found;
}

async function registerResourceType(ctx: RequestContext, p: Params<'RegisterResourceType'>) {
  const type = p.ResourceType;
  checkModuleName(type);
  exactlyOne(p, ['TemplateBody', 'TemplateURL']);
  const { db, clock } = ctx.services;
  // Kept as written: the modules it uses expand whenever it is used.
  const { body } = (await resolveTemplateSourceAsWritten(db, ctx.accountId, p))!;
  await ctx.services.templates.loadChecked(await expandModuleBody(db, ctx.accountId, body));
  return idempotent(ctx, p, async (tx) => {
    const versions = await moduleVersions.ofType(tx, ctx.accountId, type);
    const time = rosTime(clock.now());
    const registrationId = randomUUID();
    await moduleVersions.insert(tx, ctx.accountId, {
      resource_type: type,
      version_number: Math.max(0, ...versions.map((v) => v.version_number)) + 1,
      registration_id: registrationId,
      template_body: body,
      description: p.Description ?? null,
      is_default: versions.length ? 0 : 1,
      create_time: time,
      update_time: time,
    });
    return { RegistrationId: registrationId };
  });
}

async function listResourceTypeVersions(ctx: RequestContext, p: Params<'ListResourceTypeVersions'>) {
  const type = p.ResourceType;
  const versions = await versionsOf(ctx.services.db, ctx, type);
  return {
    ResourceTypeVersions: versions.map((v) => ({
      ResourceType: type,
      EntityType: ENTITY_TYPE,
      Provider: 'Self',
      VersionId: versionId(v),
      IsDefaultVersion: v.is_default === 1,
      ...(v.description === null ? {} : { Description: v.description }),
      CreateTime: v.create_time,
      UpdateTime: v.update_time,
    })),
  };
}

// ResourceType may use `*` for any run of characters (the reference: fuzzy match).
function typeMatcher(pattern: string | undefined): (type: string) => boolean {
  if (pattern === undefined) return () => true;
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (type) => re.test(type);
}

async function listResourceTypeRegistrations(ctx: RequestContext, p: Params<'ListResourceTypeRegistrations'>) {
  const matches = typeMatcher(p.ResourceType);
  const status = p.Status;
  const registration = p.RegistrationId;
  const all = (await moduleVersions.all(ctx.services.db, ctx.accountId)).filter(
    (v) => matches(v.resource_type) && (status === undefined || status === 'COMPLETE') && (registration === undefined || v.registration_id === registration),
  );
  const page = paging(p);
  return {
    PageNumber: page.PageNumber,
    PageSize: page.PageSize,
    TotalCount: all.length,
    Registrations: all.slice(page.offset, page.offset + page.limit).map((v) => ({
      RegistrationId: v.registration_id,
      EntityType: ENTITY_TYPE,
      ResourceType: v.resource_type,
      VersionId: versionId(v),
      Status: 'COMPLETE',
      StatusReason: COMPLETE_REASON,
      CreateTime: v.create_time,
    })),
  };
}

// DefaultVersionId makes that version the default; Description with VersionId describes that
// version, without it the default version [INF].
async function setResourceType(ctx: RequestContext, p: Params<'SetResourceType'>) {
  const type = p.ResourceType;
  const { db, clock } = ctx.services;
  await db.transaction(async (tx) => {
    const versions = await versionsOf(tx, ctx, type);
    const time = rosTime(clock.now());
    const defaultId = p.DefaultVersionId;
    if (defaultId !== undefined) await moduleVersions.setDefault(tx, ctx.accountId, type, findVersion(versions, type, defaultId).version_number, time);
    const description = p.Description;
    if (description !== undefined) {
      const target = p.VersionId === undefined ? versions.find((v) => v.is_default)! : findVersion(versions, type, p.VersionId);
      await moduleVersions.setDescription(tx, ctx.accountId, type, target.version_number, description, time);
    }
  });
  return {};
}

// Without VersionId the whole type goes; the default version goes only as the last one [INF].
async function deregisterResourceType(ctx: RequestContext, p: Params<'DeregisterResourceType'>) {
  const type = p.ResourceType;
  await ctx.services.db.transaction(async (tx) => {
    const versions = await versionsOf(tx, ctx, type);
    const id = p.VersionId;
    if (id === undefined) return moduleVersions.remove(tx, ctx.accountId, type);
    const version = findVersion(versions, type, id);
    if (version.is_default && versions.length > 1) {
      throw invalidParameter('VersionId', `${id} is the default version of ${type}; make another version the default first (SetResourceType)`);
    }
    await moduleVersions.remove(tx, ctx.accountId, type, version.version_number);
  });
  return {};
}

export const moduleActions: ActionTable = {
  RegisterResourceType: { handle: registerResourceType },
  ListResourceTypeVersions: { handle: listResourceTypeVersions },
  ListResourceTypeRegistrations: { handle: listResourceTypeRegistrations },
  SetResourceType: { handle: setResourceType },
  DeregisterResourceType: { handle: deregisterResourceType },
};
