// The ROS CDK service packages, one `@alicloud/ros-cdk-<service>` each, as the CDK's public
// repository lists them: the module directories `alicloudroscdk<service>/` of its Go release
// (github.com/alibabacloud-go/ros-cdk, 1.15.0), leaving out the non-service modules core,
// cxapi and assembly-schema. Not every one is published on the npm registry this project
// installs from; the generator reads those that are pinned in package.json devDependencies and
// records the others as unavailable, so their resource types stay unchecked (see
// docs/stacks.md "Resource-type catalogue").
export const CDK_SERVICES = [
  'acm', 'acs', 'actiontrail', 'adb', 'adblake', 'agentrun', 'alb', 'aligreen', 'amqp', 'apig', 'apigateway',
  'appflow', 'arms', 'asm', 'bailian', 'bastionhost', 'bpstudio', 'bss', 'cas', 'cddc', 'cdn', 'cdt', 'cen',
  'clickhouse', 'cloudfw', 'cloudphone', 'cloudsiem', 'cloudsso', 'cloudstoragegateway', 'cms', 'cms2',
  'computenest', 'config', 'cr', 'cs', 'dashvector', 'datahub', 'datalakeformation', 'dataworks', 'dbs', 'dcdn',
  'ddos', 'ddospro', 'devops', 'dfs', 'directmail', 'dlf', 'dms', 'dns', 'drds', 'dts', 'eais', 'ebs', 'ecd',
  'eci', 'ecs', 'edas', 'edsuser', 'eflo', 'ehpc', 'elasticsearch', 'elasticsearchserverless', 'emr', 'ens',
  'esa', 'ess', 'eventbridge', 'fc', 'fc3', 'flink', 'fnf', 'foas', 'ga', 'gpdb', 'graphdatabase', 'green',
  'gwlb', 'hbase', 'hbr', 'hdr', 'hologram', 'ice', 'imm', 'iot', 'kafka', 'kms', 'lindorm', 'marketplace',
  'maxcompute', 'memcache', 'milvus', 'mns', 'mobi', 'mongodb', 'mps', 'mse', 'nas', 'nlb', 'oos', 'oss',
  'ossdeployment', 'ots', 'pai', 'paifeaturestore', 'polardb', 'polardbx', 'privatelink', 'pvtz', 'ram', 'rds',
  'redis', 'resourcemanager', 'rocketmq', 'rocketmq5', 'ros', 'sae', 'sag', 'schedulerx', 'selectdb',
  'servicecatalog', 'slb', 'sls', 'swas', 'threatdetection', 'vod', 'vpc', 'vs', 'waf', 'waf3',
] as const;

export const cdkPackageName = (service: string): string => `@alicloud/ros-cdk-${service}`;
