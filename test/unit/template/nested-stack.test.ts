// ALIYUN::ROS::Stack with an inline TemplateBody (issue 13): the child template is validated on
// its own and its references resolve against its own parameters and resources.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planCreate, resolveResourceProperties } from '../../../src/stacks/template/deploy-plan.ts';
import { validateTemplate } from '../../../src/stacks/template/validate.ts';
import type { JsonObject } from '../../../src/stacks/template/types.ts';
import { PSEUDO, template, throwsApi } from './helpers.ts';

const child = (sections: JsonObject): JsonObject => ({ ROSTemplateFormatVersion: '2015-09-01', ...sections });
const CHILD = child({
  Parameters: { CidrBlock: { Type: 'String' } },
  Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: { Ref: 'CidrBlock' } } } },
  Outputs: { VpcId: { Value: { 'Fn::GetAtt': ['Vpc', 'VpcId'] } }, Where: { Value: { 'Fn::Sub': '${Vpc} in ${CidrBlock}' } } },
});
const parent = (body: JsonObject | string, parameters: JsonObject = { CidrBlock: { Ref: 'Cidr' } }): JsonObject => ({
  Parameters: { Cidr: { Type: 'String', Default: '10.0.0.0/8' } },
  Resources: { Network: { Type: 'ALIYUN::ROS::Stack', Properties: { TemplateBody: body, Parameters: parameters } } },
});

describe('nested stack templates: validation', () => {
  it('references inside the child name its own parameters and resources', () => {
    assert.doesNotThrow(() => validateTemplate(template(parent(CHILD))));
  });
  it('a child as a JSON string is validated too', () => {
    assert.doesNotThrow(() => validateTemplate(template(parent(JSON.stringify(CHILD)))));
  });
  it('the child cannot see the parent\'s parameters', () => {
    const body = child({ Resources: { Vpc: { Type: 'ALIYUN::ECS::VPC', Properties: { CidrBlock: { Ref: 'Cidr' } } } } });
    throwsApi(() => validateTemplate(template(parent(body, {}))), 'InvalidTemplateReference', 'The specified reference "Cidr" (in Vpc) is incorrect.');
  });
  it('errors of the child are reported', () => {
    const body = child({ Resources: { A: { Type: 'ALIYUN::ECS::VPC', DependsOn: 'B' }, B: { Type: 'ALIYUN::ECS::VPC', DependsOn: 'A' } } });
    throwsApi(() => validateTemplate(template(parent(body, {}))), 'CircularDependency', 'Circular Dependency Found: Resources: A -> B -> A.');
  });
  it('a child that does not parse is named after its resource', () => {
    throwsApi(() => validateTemplate(template(parent('{"ROSTemplateFormatVersion": "2015-09-01",', {}))), 'InvalidTemplate', /^The template is not valid JSON: .+ \(in the TemplateBody of Network\)\.$/);
  });
  it('the Parameters passed to the child are the parent\'s expressions', () => {
    throwsApi(() => validateTemplate(template(parent(CHILD, { CidrBlock: { Ref: 'Nope' } }))), 'InvalidTemplateReference', 'The specified reference "Nope" (in Network) is incorrect.');
  });
  it('a TemplateBody built by a function stays the parent\'s expression', () => {
    throwsApi(() => validateTemplate(template(parent({ 'Fn::Sub': '${Nope}' } as JsonObject, {}))), 'InvalidTemplateReference', 'The specified reference "Nope" (in Network) is incorrect.');
  });
});

describe('nested stack templates: deployment', () => {
  it('the child template is passed on as written and the parameters resolved', () => {
    const t = template(parent(CHILD));
    validateTemplate(t);
    const plan = planCreate(t, { Cidr: '10.0.0.0/8' }, PSEUDO);
    assert.deepEqual(plan.resources.Network!.dependsOn, []);
    const props = resolveResourceProperties(plan.template, 'Network', { parameters: { Cidr: '10.0.0.0/8' }, pseudo: PSEUDO, conditions: plan.conditions, resources: {} });
    assert.deepEqual(props, { TemplateBody: CHILD, Parameters: { CidrBlock: '10.0.0.0/8' } });
  });
  it('a child resource with the name of a parent resource makes no dependency', () => {
    const t = template({
      Resources: {
        Vpc: { Type: 'ALIYUN::ECS::VPC' },
        Network: { Type: 'ALIYUN::ROS::Stack', Properties: { TemplateBody: CHILD, Parameters: { CidrBlock: '10.0.0.0/8' } } },
      },
    });
    validateTemplate(t);
    assert.deepEqual(planCreate(t, {}, PSEUDO).resources.Network!.dependsOn, []);
  });
});
