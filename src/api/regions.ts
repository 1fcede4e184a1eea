// DescribeRegions (ros-api.md §5.17, §4.7). LocalName follows AcceptLanguage; zh-CN is the
// default. Japanese names are not published, so `ja` answers the English names.
import catalogue from './catalogue.json' with { type: 'json' };
import type { ActionTable } from './types.ts';

interface RegionRow {
  RegionId: string;
  LocalName_en?: string;
  LocalName_zh?: string;
  RegionEndpoint: string;
}

const REGIONS = catalogue.regions as RegionRow[];
// Regions whose names no source gives are accepted as RegionId values but not listed.
const LISTED = REGIONS.filter((r) => r.LocalName_en);
export const KNOWN_REGION_IDS: ReadonlySet<string> = new Set(REGIONS.map((r) => r.RegionId));

export const regionActions: ActionTable = {
  DescribeRegions: {
    async handle(_ctx, params) {
      const language = params.AcceptLanguage ?? 'zh-CN';
      return {
        Regions: LISTED.map((r) => ({
          RegionId: r.RegionId,
          LocalName: language === 'zh-CN' ? (r.LocalName_zh ?? r.LocalName_en) : r.LocalName_en,
          RegionEndpoint: r.RegionEndpoint,
        })),
      };
    },
  },
};
