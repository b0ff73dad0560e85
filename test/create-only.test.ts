import { execFileSync } from 'child_process';
import { CREATE_ONLY_FACTS, changedCreateOnly, replacementKeepsIdentity } from '../lib/rules/create-only';

describe('create-only facts', () => {
  test('match the CloudFormation resource schemas cfn-lint ships', () => {
    const types = Object.keys(CREATE_ONLY_FACTS);
    const script = [
      'import json, sys',
      'from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as m',
      'out = {}',
      'for t in json.loads(sys.argv[1]):',
      '    s = m.get_resource_schema("us-east-1", t).schema',
      '    out[t] = [p.split("/")[-1] for p in s.get("createOnlyProperties", [])]',
      'print(json.dumps(out))',
    ].join('\n');
    const schemas = JSON.parse(execFileSync('python3', ['-c', script, JSON.stringify(types)], { encoding: 'utf8' }));
    for (const t of types) {
      expect([...CREATE_ONLY_FACTS[t].createOnly].sort()).toEqual([...schemas[t]].sort());
      for (const p of CREATE_ONLY_FACTS[t].identity) expect(schemas[t]).toContain(p);
    }
  });

  test('a Path change under a kept role name cannot be carried out; a renamed role can', () => {
    const before = { RoleName: 'app', Path: '/' };
    expect(changedCreateOnly('AWS::IAM::Role', before, { RoleName: 'app', Path: '/team/' })).toEqual(['Path']);
    expect(replacementKeepsIdentity('AWS::IAM::Role', before, { RoleName: 'app', Path: '/team/' })).toBe(true);
    expect(replacementKeepsIdentity('AWS::IAM::Role', before, { RoleName: 'app-2', Path: '/team/' })).toBe(false);
    expect(replacementKeepsIdentity('AWS::IAM::Role', { Path: '/' }, { Path: '/team/' })).toBe(false);
  });

  test('an access entry type change for the same principal cannot be carried out', () => {
    const before = { ClusterName: 'c', PrincipalArn: 'arn:aws:iam::111122223333:role/a', Type: 'STANDARD' };
    const after = { ...before, Type: 'EC2_LINUX' };
    expect(changedCreateOnly('AWS::EKS::AccessEntry', before, after)).toEqual(['Type']);
    expect(replacementKeepsIdentity('AWS::EKS::AccessEntry', before, after)).toBe(true);
    expect(changedCreateOnly('AWS::EKS::AccessEntry', before, { ...before })).toEqual([]);
    expect(changedCreateOnly('AWS::SNS::Topic', {}, { a: 1 })).toEqual([]);
  });
});
