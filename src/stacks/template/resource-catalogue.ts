// Simulated resource types: physical id shape and Fn::GetAtt attributes of the common ROS types.
// Attribute names are those listed under "Return values" on each type's ROS reference page.
// Add a type by adding an entry here (or calling registerResourceType at start-up).
import { seededDigits, seededInt, seededString, seededUuid } from './ids.ts';
import type { JsonObject, JsonValue, PseudoParameters } from './types.ts';

export interface MaterializeInput {
  logicalId: string;
  properties: JsonObject;
  pseudo: PseudoParameters;
  // Stack id + logical id: the same stack resource always gets the same values.
  seed: string;
}

export interface ResourceTypeSpec {
  attributes: readonly string[];
  // Properties that identify an existing resource (GetTemplateSummary ResourceIdentifierSummaries).
  identifiers?: readonly string[];
  materialize(input: MaterializeInput): { physicalId: string; attributes: Record<string, JsonValue> };
}

const text = (value: JsonValue | undefined, fallback: string): string => (typeof value === 'string' && value !== '' ? value : fallback);
const id = (prefix: string, seed: string): string => `${prefix}-${seededString(seed, 22)}`;
const privateIp = (seed: string): string => `172.16.${seededInt(`${seed}/ip3`, 0, 255)}.${seededInt(`${seed}/ip4`, 1, 254)}`;
const publicIp = (seed: string): string => `47.${seededInt(`${seed}/p2`, 90, 120)}.${seededInt(`${seed}/p3`, 0, 255)}.${seededInt(`${seed}/p4`, 1, 254)}`;
const defaultZone = (pseudo: PseudoParameters): string => `${pseudo.Region}-a`;

// Names a resource gets when the template leaves them out: stack name + logical id, as ROS does
// for generated names, shortened and made safe for the service.
function generatedName(input: MaterializeInput, maxLength: number, lowerCase = false): string {
  const base = `${input.pseudo.StackName}-${input.logicalId}`.replace(/[^A-Za-z0-9-]/g, '-');
  const name = `${base.slice(0, maxLength - 7)}-${seededString(input.seed, 6)}`;
  return lowerCase ? name.toLowerCase() : name;
}

function instanceFields(input: MaterializeInput, seed: string) {
  const p = input.properties;
  const ip = text(p.PrivateIpAddress, privateIp(seed));
  const wantsPublic = p.AllocatePublicIP === true || Number(p.InternetMaxBandwidthOut ?? 0) > 0;
  return {
    InstanceId: id('i', seed),
    PrivateIp: ip,
    InnerIp: ip,
    PublicIp: wantsPublic ? publicIp(seed) : '',
    ZoneId: text(p.ZoneId, defaultZone(input.pseudo)),
    HostName: text(p.HostName, `iZ${seededString(`${seed}/host`, 20)}Z`),
  };
}

export const RESOURCE_CATALOGUE: Record<string, ResourceTypeSpec> = {
  'ALIYUN::ECS::VPC': {
    attributes: ['VpcId', 'VRouterId', 'RouteTableId', 'CidrBlock', 'VpcName', 'ResourceGroupId', 'Ipv6CidrBlock', 'Arn'],
    identifiers: ['VpcId'],
    materialize: ({ properties: p, pseudo, seed }) => {
      const vpcId = id('vpc', seed);
      return {
        physicalId: vpcId,
        attributes: {
          VpcId: vpcId,
          VRouterId: id('vrt', `${seed}/vrt`),
          RouteTableId: id('vtb', `${seed}/vtb`),
          CidrBlock: text(p.CidrBlock, '172.16.0.0/12'),
          VpcName: text(p.VpcName, ''),
          ResourceGroupId: text(p.ResourceGroupId, pseudo.ResourceGroupId ?? ''),
          Ipv6CidrBlock: p.EnableIpv6 === true ? `2408:4005:${seededString(seed, 3, '0123456789abcdef')}::/56` : '',
          Arn: `acs:vpc:${pseudo.Region}:${pseudo.AccountId}:vpc/${vpcId}`,
        },
      };
    },
  },
  'ALIYUN::ECS::VSwitch': {
    attributes: ['VSwitchId', 'CidrBlock', 'ZoneId', 'VpcId', 'VSwitchName', 'Ipv6CidrBlock', 'Arn'],
    identifiers: ['VSwitchId'],
    materialize: ({ properties: p, pseudo, seed }) => {
      const vswId = id('vsw', seed);
      return {
        physicalId: vswId,
        attributes: {
          VSwitchId: vswId,
          CidrBlock: text(p.CidrBlock, ''),
          ZoneId: text(p.ZoneId, defaultZone(pseudo)),
          VpcId: text(p.VpcId, ''),
          VSwitchName: text(p.VSwitchName, ''),
          Ipv6CidrBlock: '',
          Arn: `acs:vpc:${pseudo.Region}:${pseudo.AccountId}:vswitch/${vswId}`,
        },
      };
    },
  },
  'ALIYUN::ECS::SecurityGroup': {
    attributes: ['SecurityGroupId', 'SecurityGroupName', 'Arn'],
    identifiers: ['SecurityGroupId'],
    materialize: ({ properties: p, pseudo, seed }) => {
      const sgId = id('sg', seed);
      return {
        physicalId: sgId,
        attributes: {
          SecurityGroupId: sgId,
          SecurityGroupName: text(p.SecurityGroupName, ''),
          Arn: `acs:ecs:${pseudo.Region}:${pseudo.AccountId}:securitygroup/${sgId}`,
        },
      };
    },
  },
  'ALIYUN::ECS::Instance': {
    attributes: ['InstanceId', 'PrivateIp', 'InnerIp', 'PublicIp', 'ZoneId', 'HostName', 'PrimaryNetworkInterfaceId'],
    identifiers: ['InstanceId'],
    materialize: (input) => {
      const fields = instanceFields(input, input.seed);
      return {
        physicalId: fields.InstanceId,
        attributes: { ...fields, PrimaryNetworkInterfaceId: id('eni', `${input.seed}/eni`) },
      };
    },
  },
  'ALIYUN::ECS::InstanceGroup': {
    attributes: ['InstanceIds', 'PrivateIps', 'InnerIps', 'PublicIps', 'ZoneIds', 'HostNames', 'OrderId'],
    materialize: (input) => {
      const count = Math.max(0, Math.trunc(Number(input.properties.MaxAmount ?? input.properties.MinAmount ?? 1)) || 0);
      const members = Array.from({ length: count }, (_, i) => instanceFields(input, `${input.seed}/${i}`));
      const pick = (key: keyof (typeof members)[number]): string[] => members.map((m) => m[key]);
      return {
        physicalId: seededUuid(input.seed),
        attributes: {
          InstanceIds: pick('InstanceId'),
          PrivateIps: pick('PrivateIp'),
          InnerIps: pick('InnerIp'),
          PublicIps: pick('PublicIp'),
          ZoneIds: pick('ZoneId'),
          HostNames: pick('HostName'),
          // "The order id list of created instance": pay-as-you-go instances have no order.
          OrderId: [],
        },
      };
    },
  },
  'ALIYUN::RAM::Role': {
    attributes: ['RoleName', 'RoleId', 'Arn'],
    identifiers: ['RoleName'],
    materialize: (input) => {
      const name = text(input.properties.RoleName, generatedName(input, 64));
      return {
        physicalId: name,
        attributes: {
          RoleName: name,
          RoleId: seededDigits(input.seed, 19),
          Arn: `acs:ram::${input.pseudo.AccountId}:role/${name.toLowerCase()}`,
        },
      };
    },
  },
  'ALIYUN::RAM::User': {
    attributes: ['UserName', 'UserId'],
    identifiers: ['UserName'],
    materialize: (input) => {
      const name = text(input.properties.UserName, generatedName(input, 64));
      return { physicalId: name, attributes: { UserName: name, UserId: seededDigits(input.seed, 16) } };
    },
  },
  'ALIYUN::OSS::Bucket': {
    attributes: ['Name', 'DomainName', 'InternalDomainName', 'Arn'],
    identifiers: ['BucketName'],
    materialize: (input) => {
      const name = text(input.properties.BucketName, generatedName(input, 63, true));
      const region = input.pseudo.Region;
      return {
        physicalId: name,
        attributes: {
          Name: name,
          DomainName: `${name}.oss-${region}.aliyuncs.com`,
          InternalDomainName: `${name}.oss-${region}-internal.aliyuncs.com`,
          Arn: `acs:oss:*:${input.pseudo.AccountId}:${name}`,
        },
      };
    },
  },
  'ALIYUN::ROS::WaitConditionHandle': {
    attributes: ['CurlCli', 'WindowsCurlCli', 'PowerShellCurlCli'],
    // The URL joined into one flat string, which the three commands share: as a template literal
    // it was a chain of 7 cons strings, kept with a deploy's records until they are written
    // (issue 18). Each command stays a short cons of it (flat, the three would take more).
    materialize: ({ logicalId, pseudo, seed }) => {
      const url = ['https://ros.', pseudo.Region, '.aliyuncs.com/waitcondition?stackid=', pseudo.StackId, '&resource=', logicalId, '&signature=', seededString(seed, 32)].join('');
      return {
        physicalId: seededUuid(seed),
        attributes: {
          CurlCli: `curl -i -X POST '${url}'`,
          WindowsCurlCli: `curl.exe -i -X POST "${url}"`,
          PowerShellCurlCli: `Invoke-WebRequest -Method POST -Uri '${url}'`,
        },
      };
    },
  },
  'ALIYUN::ROS::WaitCondition': {
    attributes: ['Data', 'ErrorData', 'JoinedErrorData'],
    // Data and ErrorData are JSON objects keyed by signal id, as Fn::GetJsonValue reads them.
    materialize: ({ seed }) => ({ physicalId: seededUuid(seed), attributes: { Data: {}, ErrorData: {}, JoinedErrorData: '' } }),
  },
  // No function runs locally: the custom resource answers with the Parameters it was given, as
  // a JSON object (Outputs) and key by key, so that Fn::GetJsonValue and Fn::GetAtt read them [INF].
  'ALIYUN::ROS::CustomResource': {
    attributes: ['Outputs'],
    materialize: ({ properties: p, seed }) => {
      const given = p.Parameters;
      const outputs: JsonObject = typeof given === 'object' && given !== null && !Array.isArray(given) ? given : {};
      return { physicalId: seededUuid(seed), attributes: { ...outputs, Outputs: outputs } };
    },
  },
  'ALIYUN::SLB::LoadBalancer': {
    attributes: ['LoadBalancerId', 'IpAddress', 'AddressType', 'NetworkType', 'VpcId', 'VSwitchId', 'LoadBalancerName', 'OrderId'],
    identifiers: ['LoadBalancerId'],
    materialize: ({ properties: p, seed }) => {
      const lbId = id('lb', seed);
      const addressType = text(p.AddressType, 'internet');
      return {
        physicalId: lbId,
        attributes: {
          LoadBalancerId: lbId,
          IpAddress: addressType === 'intranet' ? privateIp(seed) : publicIp(seed),
          AddressType: addressType,
          NetworkType: typeof p.VpcId === 'string' && p.VpcId !== '' ? 'vpc' : 'classic',
          VpcId: text(p.VpcId, ''),
          VSwitchId: text(p.VSwitchId, ''),
          LoadBalancerName: text(p.LoadBalancerName, ''),
          OrderId: '',
        },
      };
    },
  },
};
