// YAML short forms of the intrinsic functions (`!Ref X`, `!Join [...]`, ...), each mapped to its
// long form. The names are those of the ROS "Function index" page; every function there has a
// `!Name` short form (e.g. "Fn::Index" documents `!Index [item, [list]]`).
import type { ScalarTag, CollectionTag, YAMLMap, YAMLSeq } from 'yaml';
import type { JsonValue } from './types.ts';

const SHORT_FORMS = [
  'Base64Encode', 'Base64Decode', 'Str', 'Indent', 'FindInMap', 'GetAtt', 'Join', 'Sub', 'Select',
  'GetAZs', 'Replace', 'Split', 'Equals', 'And', 'Or', 'Not', 'Index', 'If', 'Length', 'ListMerge',
  'GetJsonValue', 'MergeMapToList', 'Avg', 'SelectMapList', 'Add', 'Calculate', 'Max', 'Min',
  'GetStackOutput', 'Jq', 'FormatTime', 'MarketplaceImage', 'Any', 'Contains', 'EachMemberIn',
  'MatchPattern', 'Cidr', 'MemberListToMap',
] as const;

function longName(short: string): string {
  return short === 'Ref' || short === 'Condition' ? short : `Fn::${short}`;
}

// `!GetAtt Resource.Attribute`: ROS logical ids may themselves contain dots (the ROS template
// transformer emits ids such as `alicloud_vpc.myvpc`), attribute names never do, so the last dot
// separates the two.
function getAttScalar(text: string): JsonValue {
  const dot = text.lastIndexOf('.');
  return dot > 0 ? [text.slice(0, dot), text.slice(dot + 1)] : text;
}

export function shortFormTags(): Array<ScalarTag | CollectionTag> {
  const tags: Array<ScalarTag | CollectionTag> = [];
  for (const short of ['Ref', 'Condition', ...SHORT_FORMS]) {
    const name = longName(short);
    const tag = `!${short}`;
    tags.push({
      tag,
      resolve: (text: string) => ({ [name]: short === 'GetAtt' ? getAttScalar(text) : text }),
    });
    tags.push({
      tag,
      collection: 'seq',
      resolve: (seq: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [name]: seq.toJSON() as JsonValue }),
    });
    tags.push({
      tag,
      collection: 'map',
      resolve: (map: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [name]: map.toJSON() as JsonValue }),
    });
  }
  return tags;
}
