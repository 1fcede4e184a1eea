// Physical ids and attribute values of simulated resources whose type has no hand-written
// simulation (src/stacks/template/resource-catalogue.ts): every attribute the catalogue lists, of
// its kind (a list is a list, a map an object, a number a number), and a physical id of the
// service's form where the cloud's is known.
import { seededInt, seededName, seededString, seededUuid } from '../template/ids.ts';
import type { AttributeSchema } from './schema.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Prefixes of the ids the cloud gives these resources (ECS, VPC, RDS, ... API references).
const ID_PREFIX: Record<string, string> = {
  'ALIYUN::ECS::Instance': 'i',
  'ALIYUN::ECS::InstanceClone': 'i',
  'ALIYUN::ECS::VPC': 'vpc',
  'ALIYUN::ECS::VSwitch': 'vsw',
  'ALIYUN::ECS::SecurityGroup': 'sg',
  'ALIYUN::ECS::SecurityGroupClone': 'sg',
  'ALIYUN::ECS::Disk': 'd',
  'ALIYUN::ECS::CustomImage': 'm',
  'ALIYUN::ECS::CopyImage': 'm',
  'ALIYUN::ECS::NetworkInterface': 'eni',
  'ALIYUN::ECS::Snapshot': 's',
  'ALIYUN::ECS::AutoSnapshotPolicy': 'sp',
  'ALIYUN::ECS::LaunchTemplate': 'lt',
  'ALIYUN::ECS::DeploymentSet': 'ds',
  'ALIYUN::ECS::DedicatedHost': 'dh',
  'ALIYUN::ECS::Command': 'c',
  'ALIYUN::ECS::Invocation': 't',
  'ALIYUN::ECS::PrefixList': 'pl',
  'ALIYUN::ECS::RouteTable': 'vtb',
  'ALIYUN::ECS::NatGateway': 'ngw',
  'ALIYUN::ECS::ForwardEntry': 'fwd',
  'ALIYUN::ECS::SNatEntry': 'snat',
  'ALIYUN::ECS::BandwidthPackage': 'bwp',
  'ALIYUN::VPC::EIP': 'eip',
  'ALIYUN::VPC::NatGateway': 'ngw',
  'ALIYUN::VPC::SnatEntry': 'snat',
  'ALIYUN::VPC::ForwardEntry': 'fwd',
  'ALIYUN::VPC::CommonBandwidthPackage': 'cbwp',
  'ALIYUN::VPC::RouteTable': 'vtb',
  'ALIYUN::VPC::HaVip': 'havip',
  'ALIYUN::VPC::NetworkAcl': 'nacl',
  'ALIYUN::VPC::FlowLog': 'fl',
  'ALIYUN::VPC::Ipv6Gateway': 'ipv6gw',
  'ALIYUN::VPC::VpnGateway': 'vpn',
  'ALIYUN::VPC::CustomerGateway': 'cgw',
  'ALIYUN::VPC::VpnConnection': 'vco',
  'ALIYUN::VPC::PrefixList': 'pl',
  'ALIYUN::VPC::TrafficMirrorSession': 'tms',
  'ALIYUN::VPC::TrafficMirrorFilter': 'tmf',
  'ALIYUN::VPC::PeeringConnection': 'pcc',
  'ALIYUN::VPC::VpcEndpoint': 'ep',
  'ALIYUN::VPC::Anycast': 'aeip',
  'ALIYUN::RDS::DBInstance': 'rm',
  'ALIYUN::RDS::PrepayDBInstance': 'rm',
  'ALIYUN::RDS::DBInstanceClone': 'rm',
  'ALIYUN::MONGODB::Instance': 'dds',
  'ALIYUN::MONGODB::ShardingInstance': 'dds',
  'ALIYUN::MONGODB::ServerlessInstance': 'dds',
  'ALIYUN::ElasticSearch::Instance': 'es-cn',
  'ALIYUN::KAFKA::Instance': 'alikafka_post-cn',
  'ALIYUN::ROCKETMQ::Instance': 'MQ_INST',
  'ALIYUN::ROCKETMQ5::Instance': 'rmq-cn',
};

// Prefixes of the ids that attributes name after the resource they point to.
const ATTRIBUTE_ID_PREFIX: Record<string, string> = {
  VpcId: 'vpc',
  VSwitchId: 'vsw',
  SecurityGroupId: 'sg',
  InstanceId: 'i',
  RouteTableId: 'vtb',
  VRouterId: 'vrt',
  NetworkInterfaceId: 'eni',
  AllocationId: 'eip',
  NatGatewayId: 'ngw',
  DiskId: 'd',
  ImageId: 'm',
  SnapshotId: 's',
};

const DEFAULT_PREFIX_LENGTH = 8;

// The physical id of a resource of `type` (DATASOURCE types get a uuid, as their ids carry no
// service form).
export function simulatedPhysicalId(type: string, seed: string): string {
  if (type.startsWith('DATASOURCE::')) return seededUuid(seed);
  const prefix = ID_PREFIX[type];
  if (prefix) return `${prefix}-${seededString(seed, 22)}`;
  return `${(type.split('::').pop() ?? 'res').toLowerCase().slice(0, DEFAULT_PREFIX_LENGTH)}-${seededString(seed, 20)}`;
}

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

// The attribute that names the resource itself: `<TypeName>Id` (VpcId of ALIYUN::ECS::VPC,
// InstanceId of ALIYUN::ECS::Instance, DBInstanceId of ALIYUN::RDS::DBInstance).
function isOwnId(type: string, attribute: string): boolean {
  const name = (type.split('::').pop() ?? '').toLowerCase();
  return attribute.toLowerCase() === `${name}id`;
}

function stringValue(type: string, name: string, physicalId: string, seed: string): string {
  if (isOwnId(type, name)) return physicalId;
  const prefix = ATTRIBUTE_ID_PREFIX[name];
  if (prefix) return seededName(prefix, seed, 22);
  if (name.endsWith('Id')) return seededName(name.slice(0, -2).toLowerCase().slice(0, DEFAULT_PREFIX_LENGTH) || 'id', seed, 20);
  return seededName(name, seed, 12);
}

// A value of the attribute's kind: the same-named property when it has that kind, else a
// stable placeholder derived from the seed.
export function simulatedAttribute(type: string, name: string, schema: AttributeSchema, properties: { [key: string]: Json }, physicalId: string, seed: string): Json {
  const given = Object.hasOwn(properties, name) ? properties[name] : undefined;
  const at = `${seed}/${name}`;
  switch (schema.type) {
    case 'list':
      if (Array.isArray(given)) return given;
      return [stringValue(type, name.replace(/s$/, ''), physicalId, at)];
    case 'map':
      return isObject(given) ? given : {};
    case 'number':
      if (typeof given === 'number') return given;
      return seededInt(at, 1, 100);
    default:
      if (typeof given === 'string' || typeof given === 'number' || typeof given === 'boolean') return String(given);
      return stringValue(type, name, physicalId, at);
  }
}
