// The template constructs of issue 13 that the corpus runs besides the per-type templates: each
// template is validated and deployed like the others, and its outputs must have the values
// listed (a RegExp for values that vary: ids, times). The published-style fixtures of
// test/fixtures/published-style/ run too (validated and deployed, outputs not checked).
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Construct {
  name: string;
  // JSON or YAML text, as a user would send it.
  body: string;
  // Values of the parameters that have no Default.
  parameters: Record<string, string>;
  // Output key → its value, or a pattern its string value must match.
  outputs: Record<string, Json | RegExp>;
}

// What a user would type for the fixtures' parameters without a Default.
const FIXTURE_VALUES: Readonly<Record<string, string>> = { VpcId: 'vpc-corpus', ZoneId: 'cn-hangzhou-h', InstanceType: 'ecs.g6.large', Password: 'Corpus-Pass1!' };

function fixtureParameters(text: string): Record<string, string> {
  const declared = (parse(text) as { Parameters?: Record<string, { Default?: unknown }> }).Parameters ?? {};
  const out: Record<string, string> = {};
  for (const [name, def] of Object.entries(declared)) {
    if (def.Default !== undefined) continue;
    const value = FIXTURE_VALUES[name];
    if (value === undefined) throw new Error(`corpus: no value for parameter ${name} of a fixture`);
    out[name] = value;
  }
  return out;
}

const LANGUAGE_MAPS_AND_METADATA: Json = {
  ROSTemplateFormatVersion: '2015-09-01',
  Description: { 'zh-cn': '中文说明', en: 'Language maps everywhere' },
  Parameters: {
    Mode: { Type: 'String', Default: 'custom', AllowedValues: ['custom', 'auto'], Label: { en: 'Mode', 'zh-cn': '模式' } },
    Name: {
      Type: 'String',
      Default: 'web&app-1',
      // Java-dialect escapes that JavaScript's unicode mode refuses.
      AllowedPattern: '^[\\w\\&\\!\\@\\-]+$',
      Description: { en: 'A name', 'zh-cn': '名称' },
      ConstraintDescription: { en: 'Letters, digits, &, !, @ and -', 'zh-cn': '字母、数字' },
      AssociationPropertyMetadata: {
        Visible: { Condition: { 'Fn::Or': [{ 'Fn::Equals': ['${Mode}', 'custom'] }, { 'Fn::Not': { 'Fn::Equals': [{ Ref: 'Mode' }, 'auto'] } }] } },
      },
    },
  },
  Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: '10.0.0.0/8', VpcName: { Ref: 'Name' } } } },
  Outputs: {
    VpcId: { Value: { Ref: 'Vpc' }, Description: { 'zh-cn': '专有网络', en: 'The VPC' }, Label: { 'zh-cn': '网络' } },
    Name: { Value: { Ref: 'Name' } },
  },
};

const FUNCTIONS_AND_ATTRIBUTES: Json = {
  ROSTemplateFormatVersion: '2015-09-01',
  Parameters: {
    Size: { Type: 'Number', Default: 3 },
    Flag: { Type: 'Boolean', Default: true },
    Text: { Type: 'String', Default: '[client]\nport=3306' },
  },
  Resources: {
    Group: { Type: 'ALIYUN::ECS::InstanceGroup', Properties: { InstanceType: 'ecs.g6.large', MaxAmount: 2 } },
    Custom: { Type: 'ALIYUN::ROS::CustomResource', Properties: { ServiceToken: 'acs:fc:cn-hangzhou:123:services/s/functions/f', Timeout: 60, Parameters: { Colour: 'green' } } },
    Child: {
      Type: 'ALIYUN::ROS::Stack',
      Properties: {
        Parameters: { Cidr: '192.168.0.0/16' },
        TemplateBody: {
          ROSTemplateFormatVersion: '2015-09-01',
          Parameters: { Cidr: { Type: 'String' } },
          Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: { Ref: 'Cidr' } } } },
          Outputs: { VpcId: { Value: { Ref: 'Vpc' } } },
        },
      },
    },
  },
  Outputs: {
    FirstInstance: { Value: { 'Fn::Select': [0, { 'Fn::GetAtt': ['Group', 'InstanceIds'] }] } },
    AllInstances: { Value: { 'Fn::Join': [',', { 'Fn::GetAtt': ['Group', 'InstanceIds'] }] } },
    Colour: { Value: { 'Fn::GetJsonValue': ['Colour', { 'Fn::GetAtt': ['Custom', 'Outputs'] }] } },
    ChildVpc: { Value: { 'Fn::GetAtt': ['Child', 'Outputs.VpcId'] } },
    Joined: { Value: { 'Fn::Join': ['-', ['n', { Ref: 'Size' }, { Ref: 'Flag' }]] } },
    Subbed: { Value: { 'Fn::Sub': 'size=${Size}' } },
    Total: { Value: { 'Fn::Calculate': ['{0}*2+1', 0, [{ Ref: 'Size' }]] } },
    Subnets: { Value: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] } },
    Indented: { Value: { 'Fn::Indent': [{ Ref: 'Text' }, 1] } },
    Matches: { Value: { 'Fn::MatchPattern': ['[\\w\\&\\-]+', 'a&b-c'] } },
    Members: { Value: { 'Fn::MemberListToMap': ['Name', 'Value', ['.member.0.Name=k', '.member.0.Value=v']] } },
    Picked: { Value: { 'Fn::Jq': ['First', '.items[] | select(.on) | .name', '{"items":[{"name":"a","on":false},{"name":"b","on":true}]}'] } },
    Year: { Value: { 'Fn::FormatTime': ['%Y', 'UTC'] } },
  },
};

export function constructs(fixtures: URL): Construct[] {
  const out: Construct[] = [
    { name: 'language maps, metadata functions, Java AllowedPattern', body: JSON.stringify(LANGUAGE_MAPS_AND_METADATA), parameters: {}, outputs: { VpcId: /^vpc-/, Name: 'web&app-1' } },
    {
      name: 'functions over parameters and attributes, inline nested stack',
      body: JSON.stringify(FUNCTIONS_AND_ATTRIBUTES),
      parameters: {},
      outputs: {
        FirstInstance: /^i-/,
        AllInstances: /^i-[^,]+,i-[^,]+$/,
        Colour: 'green',
        // The child's own output, as the cloud answers it.
        ChildVpc: /^vpc-/,
        Joined: 'n-3-true',
        Subbed: 'size=3',
        Total: 7,
        Subnets: ['10.0.0.0/24', '10.0.1.0/24'],
        Indented: '  [client]\n  port=3306',
        Matches: true,
        Members: { k: 'v' },
        Picked: 'b',
        Year: /^\d{4}$/,
      },
    },
  ];
  for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.yml')).sort()) {
    const body = readFileSync(new URL(file, fixtures), 'utf8');
    out.push({ name: `published style: ${file}`, body, parameters: fixtureParameters(body), outputs: {} });
  }
  return out;
}

// The first output whose value differs from the expected one, or undefined.
export function wrongOutput(expected: Construct['outputs'], outputs: Array<{ OutputKey?: unknown; OutputValue?: unknown }>): string | undefined {
  const actual = new Map(outputs.map((o) => [String(o.OutputKey), o.OutputValue]));
  for (const [key, want] of Object.entries(expected)) {
    const got = actual.get(key);
    const ok = want instanceof RegExp ? typeof got === 'string' && want.test(got) : JSON.stringify(got) === JSON.stringify(want);
    if (!ok) return `${key} = ${JSON.stringify(got)}`;
  }
  return undefined;
}
