// Module expansion (src/stacks/template/modules.ts), table-driven: what each MODULE resource
// becomes, and what is refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandModules, type ModuleLookup } from '../../../src/stacks/template/modules.ts';
import { parseTemplate } from '../../../src/stacks/template/parse.ts';
import type { Template } from '../../../src/stacks/template/types.ts';

const T = 'MODULE::Acme::Net::Pair';
const tpl = (sections: object): Template => parseTemplate(JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', ...sections }));

const PAIR = tpl({
  Parameters: { Name: { Type: 'String' }, Zone: { Type: 'String', Default: 'z1' }, Size: { Type: 'Number', Default: 1, MaxValue: 4 } },
  Mappings: { Sizes: { small: { Cidr: '10.0.0.0/8' } } },
  Conditions: { Named: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Name' }, ''] }] } },
  Resources: {
    A: { Type: 'ALIYUN::ECS::VPC', Condition: 'Named', Properties: { CidrBlock: { 'Fn::FindInMap': ['Sizes', 'small', 'Cidr'] }, VpcName: { 'Fn::Sub': '${Name}-${Zone}-${ALIYUN::Region}' } } },
    B: { Type: 'ALIYUN::ECS::VSwitch', DependsOn: 'A', Properties: { VpcId: { Ref: 'A' }, ZoneId: { 'Fn::If': ['Named', { Ref: 'Zone' }, 'none'] }, Label: { 'Fn::Sub': '${A.VpcId}' } } },
  },
  Outputs: { Id: { Value: { 'Fn::GetAtt': ['A', 'VpcId'] } } },
});

const lookup =
  (modules: Record<string, Template>): ModuleLookup =>
  async (type, version) =>
    modules[`${type}@${version}`];
const expand = (sections: object, modules: Record<string, Template> = { [`${T}@v1`]: PAIR }) => expandModules(tpl(sections), lookup(modules));
const using = (props: object, extra: object = {}) => ({ Type: T, Version: 'v1', Properties: props, ...extra });

describe('expandModules', () => {
  it('moves the module into the template under prefixed names', async () => {
    const out = await expand({
      Resources: { Net: using({ Name: { Ref: 'Top' } }, { DependsOn: 'First' }), First: { Type: 'ALIYUN::ECS::VPC' }, After: { Type: 'ALIYUN::ECS::VPC', DependsOn: ['Net'] } },
      Parameters: { Top: { Type: 'String' } },
      Outputs: { O: { Value: { 'Fn::GetAtt': ['Net', 'Id'] } } },
    });
    assert.deepEqual(Object.keys(out.Resources).sort(), ['After', 'First', 'NetA', 'NetB']);
    assert.deepEqual(out.Resources.NetA, {
      Type: 'ALIYUN::ECS::VPC',
      Condition: 'NetNamed',
      DependsOn: ['First'],
      Properties: { CidrBlock: { 'Fn::FindInMap': ['NetSizes', 'small', 'Cidr'] }, VpcName: { 'Fn::Sub': ['${Name}-${Zone}-${ALIYUN::Region}', { Name: { Ref: 'Top' }, Zone: 'z1' }] } },
    });
    assert.deepEqual(out.Resources.NetB, {
      Type: 'ALIYUN::ECS::VSwitch',
      DependsOn: ['NetA', 'First'],
      Properties: { VpcId: { Ref: 'NetA' }, ZoneId: { 'Fn::If': ['NetNamed', 'z1', 'none'] }, Label: { 'Fn::Sub': '${NetA.VpcId}' } },
    });
    assert.deepEqual(out.Resources.After.DependsOn, ['NetA', 'NetB']);
    assert.deepEqual(out.Conditions, { NetNamed: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Top' }, ''] }] } });
    assert.deepEqual(Object.keys(out.Mappings), ['NetSizes']);
    assert.deepEqual(out.Outputs.O.Value, { 'Fn::GetAtt': ['NetA', 'VpcId'] });
  });

  it('expands modules used by modules', async () => {
    const outer = tpl({ Parameters: { N: { Type: 'String' } }, Resources: { Inner: using({ Name: { Ref: 'N' } }) }, Outputs: { Id: { Value: { 'Fn::GetAtt': ['Inner', 'Id'] } } } });
    const out = await expand(
      { Resources: { Top: { Type: 'MODULE::Acme::Net::Outer', Version: 'default', Properties: { N: 'x' } } }, Outputs: { O: { Value: { 'Fn::GetAtt': ['Top', 'Id'] } } } },
      { [`${T}@v1`]: PAIR, 'MODULE::Acme::Net::Outer@default': outer },
    );
    assert.deepEqual(Object.keys(out.Resources).sort(), ['TopInnerA', 'TopInnerB']);
    assert.deepEqual(out.Outputs.O.Value, { 'Fn::GetAtt': ['TopInnerA', 'VpcId'] });
  });

  const refused: Array<[string, object, RegExp]> = [
    ['no Version', { Resources: { Net: { Type: T, Properties: { Name: 'a' } } } }, /Version of module resource Net must be "default" or v<number>/],
    ['a Version of another form', { Resources: { Net: using({ Name: 'a' }, { Version: '1' }) } }, /Version of module resource Net/],
    ['an unregistered version', { Resources: { Net: using({ Name: 'a' }, { Version: 'v2' }) } }, /Unknown resource Type : MODULE::Acme::Net::Pair \(version v2\)/],
    ['an unknown property', { Resources: { Net: using({ Name: 'a', Colour: 1 }) } }, /Unknown property Colour in the Properties of Net/],
    ['a required property missing', { Resources: { Net: using({ Zone: 'z' }) } }, /The property Name of Net is required by module MODULE::Acme::Net::Pair/],
    ['a clash of names', { Resources: { Net: using({ Name: 'a' }), NetA: { Type: 'ALIYUN::ECS::VPC' } } }, /The resource NetA of an expanded module clashes/],
  ];
  for (const [what, sections, message] of refused) {
    it(`refuses ${what}`, async () => {
      await assert.rejects(expand(sections), (err: Error & { entry?: string }) => err.entry === 'InvalidTemplate' && message.test(err.message));
    });
  }

  it('checks a value written out against the module parameter: type, constraints', async () => {
    const out = await expand({ Resources: { Net: using({ Name: 'a', Size: '3' }) }, Outputs: { S: { Value: { Ref: 'NetA' } } } });
    assert.ok(out.Resources.NetA);
    await assert.rejects(expand({ Resources: { Net: using({ Name: 'a', Size: 'big' }) } }), /Parameter 'Size' is invalid: Value "big" is not a number/);
    await assert.rejects(expand({ Resources: { Net: using({ Name: 'a', Size: 9 }) } }), /Parameter 'Size' is invalid/);
    // An expression is resolved with the template, not here.
    await expand({ Resources: { Net: using({ Name: 'a', Size: { Ref: 'ALIYUN::Region' } }) } });
  });

  it('refuses an output the module does not have', async () => {
    await assert.rejects(
      expand({ Resources: { Net: using({ Name: 'a' }) }, Outputs: { O: { Value: { 'Fn::GetAtt': ['Net', 'Nope'] } } } }),
      (err: Error & { entry?: string }) => err.entry === 'InvalidTemplateAttribute',
    );
  });

  it('leaves a template without modules as it is', async () => {
    const plain = tpl({ Resources: { V: { Type: 'ALIYUN::ECS::VPC' } } });
    assert.equal(await expandModules(plain, lookup({})), plain);
  });
});
