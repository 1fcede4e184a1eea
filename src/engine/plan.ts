// Per-region windows and tolerances (semantics.md §7.2): everything counts per region;
// percentages round down; a window that rounds to 0 is 1 and never exceeds the region's size.
import type { OperationPreferences } from './types.ts';

export interface RegionPlan {
  regionId: string;
  total: number;
  window: number;
  tolerance: number;
}

export function planRegion(prefs: OperationPreferences, regionId: string, total: number): RegionPlan {
  const byPercent = (pct: number) => Math.floor((pct * total) / 100);
  const rawWindow = prefs.MaxConcurrentCount ?? (prefs.MaxConcurrentPercentage !== undefined ? byPercent(prefs.MaxConcurrentPercentage) : 1);
  const window = Math.max(1, Math.min(rawWindow, Math.max(total, 1)));
  const tolerance = prefs.FailureToleranceCount ?? (prefs.FailureTolerancePercentage !== undefined ? byPercent(prefs.FailureTolerancePercentage) : 0);
  return { regionId, total, window, tolerance };
}

// What GetStackGroupOperation echoes: one key of each exclusive pair, defaults filled, and the
// region order actually used (semantics.md §7.1).
export function echoPreferences(prefs: OperationPreferences, regionOrder: string[]): Record<string, unknown> {
  return {
    ...(prefs.FailureTolerancePercentage !== undefined
      ? { FailureTolerancePercentage: prefs.FailureTolerancePercentage }
      : { FailureToleranceCount: prefs.FailureToleranceCount ?? 0 }),
    ...(prefs.MaxConcurrentPercentage !== undefined
      ? { MaxConcurrentPercentage: prefs.MaxConcurrentPercentage }
      : { MaxConcurrentCount: prefs.MaxConcurrentCount ?? 1 }),
    RegionConcurrencyType: prefs.RegionConcurrencyType ?? 'SEQUENTIAL',
    RegionIdsOrder: regionOrder,
  };
}
