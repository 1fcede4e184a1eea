// Fn::Cidr ("Fn::Cidr" page): [ipBlock, count, cidrBits] -> `count` consecutive IPv4 CIDR blocks
// of the block, each with cidrBits host bits (mask /(32 - cidrBits)); count is 1 to 256. Count and
// cidrBits may be numbers or numeric strings, as in the page's examples.
import { ApiError } from '../../protocol/errors.ts';
import { usageError } from './intrinsics.ts';
import type { JsonValue } from './types.ts';

const USAGE = '[ipBlock, count, cidrBits]';

function failure(detail: string): ApiError {
  return new ApiError('InvalidTemplate', { reason: `"Fn::Cidr": ${detail}` });
}

function integer(name: string, value: JsonValue, min: number, max: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw failure(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

function parseBlock(value: JsonValue): { address: number; prefix: number } {
  const m = typeof value === 'string' ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value.trim()) : null;
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : NaN;
  if (!m || octets.some((o) => o > 255) || prefix > 32) throw failure(`${JSON.stringify(value)} is not an IPv4 CIDR block`);
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  // The block's network address: host bits of the given address are ignored.
  const size = 2 ** (32 - prefix);
  return { address: Math.floor(address / size) * size, prefix };
}

const dotted = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

export function cidr(args: JsonValue): JsonValue {
  if (!Array.isArray(args) || args.length !== 3) throw usageError('Fn::Cidr', USAGE);
  const { address, prefix } = parseBlock(args[0]!);
  const count = integer('count', args[1]!, 1, 256);
  const bits = integer('cidrBits', args[2]!, 0, 32);
  const newPrefix = 32 - bits;
  if (newPrefix < prefix) throw failure(`cidrBits ${bits} makes blocks larger than ${dotted(address)}/${prefix}`);
  const available = 2 ** (newPrefix - prefix);
  if (count > available) throw failure(`${dotted(address)}/${prefix} holds only ${available} blocks of /${newPrefix}, ${count} requested`);
  const step = 2 ** bits;
  return Array.from({ length: count }, (_, i) => `${dotted(address + i * step)}/${newPrefix}`);
}
