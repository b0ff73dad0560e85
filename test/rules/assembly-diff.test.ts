import { AssemblyContents, diffAssemblies, DiffResource, DiffServiceAccount, referencedIds } from '../../lib/rules/assembly-diff';

const ACCOUNT = '111122223333';
const SCOPE = `${ACCOUNT}/us-west-2`;

/** A resource of stack `stack`; a role with a literal RoleName gets its identity and role ref as the reader makes them. */
interface ResOptions { stack?: string; retained?: boolean; identity?: unknown[] }
function res(logicalId: string, type: string, properties: Record<string, unknown>, o: ResOptions = {}): DiffResource {
  const stack = o.stack ?? 'App';
  const roleName = type === 'AWS::IAM::Role' && typeof properties.RoleName === 'string' ? properties.RoleName : undefined;
  const identity = o.identity ?? (roleName ? [roleName] : undefined);
  return {
    stack,
    stackKey: `${SCOPE}/${stack}`,
    file: `${stack}.template.json`,
    logicalId,
    type,
    properties,
    identity: identity ? JSON.stringify([type, type.startsWith('AWS::IAM::') ? ACCOUNT : SCOPE, ...identity]) : undefined,
    retained: o.retained ?? false,
    role: roleName ? { account: ACCOUNT, path: typeof properties.Path === 'string' ? properties.Path : '/', name: roleName } : undefined,
    scope: SCOPE,
  };
}
const side = (resources: DiffResource[], serviceAccounts: DiffServiceAccount[] = []): AssemblyContents => ({ resources, serviceAccounts });
const sa = (namespace: string, name: string, roleArn?: string): DiffServiceAccount => ({ scope: SCOPE, namespace, name, roleArn, file: 'App.k8s.yaml' });
const codes = (before: AssemblyContents, after: AssemblyContents) => diffAssemblies(before, after).map(f => `${f.severity} ${f.code} ${f.logicalId}`);

const role = (props: Record<string, unknown>, o: Parameters<typeof res>[3] = {}) => res('Role', 'AWS::IAM::Role', { AssumeRolePolicyDocument: {}, ...props }, o);
const profile = (props: Record<string, unknown>) => res('Profile', 'AWS::EKS::FargateProfile', {
  ClusterName: 'c1', FargateProfileName: 'web', Subnets: ['subnet-1'], Selectors: [{ Namespace: 'web' }], PodExecutionRoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] }, ...props,
}, { identity: ['c1', 'web'] });
const entry = (type: string, o: Parameters<typeof res>[3] = {}, logicalId = 'Entry') => res(logicalId, 'AWS::EKS::AccessEntry',
  { ClusterName: 'c1', PrincipalArn: `arn:aws:iam::${ACCOUNT}:role/admins`, Type: type }, { identity: ['c1', `arn:aws:iam::${ACCOUNT}:role/admins`], ...o });
const association = (namespace: string, o: Parameters<typeof res>[3] = {}, logicalId = 'Assoc') => res(logicalId, 'AWS::EKS::PodIdentityAssociation',
  { ClusterName: 'c1', Namespace: namespace, ServiceAccount: 'web', RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } }, { identity: ['c1', namespace, 'web'], ...o });

describe('diff-replace-impossible', () => {
  test('a create-only change under a kept name fails; the same change with a new name passes this rule', () => {
    const before = side([role({ RoleName: 'fixed', Path: '/' })]);
    const [f] = diffAssemblies(before, side([role({ RoleName: 'fixed', Path: '/eks/' })]));
    expect(f).toMatchObject({ severity: 'error', code: 'diff-replace-impossible', field: 'Path', value: "'/' -> '/eks/'", stack: 'App', logicalId: 'Role', type: 'AWS::IAM::Role' });
    expect(f.rule).toContain("keeps RoleName 'fixed' which the old one still holds (EntityAlreadyExists)");
    expect(codes(before, side([role({ RoleName: 'fixed-2', Path: '/eks/' })]))).toEqual(['warning diff-replaced Role']);
  });

  test('a profile whose pod execution role is replaced is replaced too, under its kept name', () => {
    const before = side([role({ RoleName: 'exec' }), profile({})]);
    const after = side([role({ RoleName: 'exec-2' }), profile({})]);
    const found = diffAssemblies(before, after);
    expect(found.map(f => f.code)).toEqual(['diff-replaced', 'diff-replace-impossible']);
    expect(found[1]).toMatchObject({ logicalId: 'Profile', field: 'PodExecutionRoleArn', value: '{"Fn::GetAtt":["Role","Arn"]} -> (the new Role, which is replaced)' });
    // the role kept: the profile is not touched
    expect(codes(before, side([role({ RoleName: 'exec', Description: 'x' }), profile({})]))).toEqual([]);
  });

  test('an access entry type change for the same principal fails; for another principal (another identity) it is a replacement', () => {
    expect(codes(side([entry('STANDARD')]), side([entry('EC2_LINUX')]))).toEqual(['error diff-replace-impossible Entry']);
    const other = res('Entry', 'AWS::EKS::AccessEntry', { ClusterName: 'c1', PrincipalArn: `arn:aws:iam::${ACCOUNT}:role/nodes`, Type: 'EC2_LINUX' }, { identity: ['c1', `arn:aws:iam::${ACCOUNT}:role/nodes`] });
    expect(codes(side([entry('STANDARD')]), side([other]))).toEqual(['warning diff-replaced Entry']);
  });
});

describe('diff-role-replaced-in-use', () => {
  const arn = `arn:aws:iam::${ACCOUNT}:role/app`;
  test('a role a deployed service account names is replaced: an error naming it; one nobody uses is a warning', () => {
    const before = side([role({ RoleName: 'app' })], [sa('shop', 'api', arn)]);
    const after = side([role({ RoleName: 'app-1a2b3c4d', Path: '/eks/' })], [sa('shop', 'api', `arn:aws:iam::${ACCOUNT}:role/eks/app-1a2b3c4d`)]);
    const [f] = diffAssemblies(before, after);
    expect(f).toMatchObject({ code: 'diff-role-replaced-in-use', severity: 'error', field: 'Path, RoleName' });
    expect(f.rule).toContain('service account shop/api (App.k8s.yaml)');
    expect(codes(side([role({ RoleName: 'app' })], [sa('shop', 'api', `arn:aws:iam::${ACCOUNT}:role/other`)]), after)).toEqual(['warning diff-replaced Role']);
  });

  test('the path and the account of the annotation count', () => {
    const after = side([role({ RoleName: 'app-2' })]);
    expect(codes(side([role({ RoleName: 'app' })], [sa('shop', 'api', `arn:aws:iam::${ACCOUNT}:role/x/app`)]), after)).toEqual(['warning diff-replaced Role']);
    expect(codes(side([role({ RoleName: 'app' })], [sa('shop', 'api', 'arn:aws:iam::444455556666:role/app')]), after)).toEqual(['warning diff-replaced Role']);
    expect(codes(side([role({ RoleName: 'app' })], [sa('shop', 'api', `arn:aws-cn:iam::${ACCOUNT}:role/app`)]), after)).toEqual(['error diff-role-replaced-in-use Role']);
  });

  test('a role a Pod Identity association refers to is in use', () => {
    const before = side([role({ RoleName: 'web' }), association('shop')], [sa('shop', 'web')]);
    const after = side([role({ RoleName: 'web-2' }), association('shop')], [sa('shop', 'web')]);
    expect(codes(before, after)).toEqual(['error diff-role-replaced-in-use Role']);
    expect(diffAssemblies(before, after)[0].rule).toContain('Pod Identity association shop/web (Resources.Assoc of stack App)');
  });
});

describe('diff-replaced', () => {
  test('an unnamed role whose path changes is replaced (a warning); an unchanged one is not reported', () => {
    expect(codes(side([role({ Path: '/a/' })]), side([role({ Path: '/b/' })]))).toEqual(['warning diff-replaced Role']);
    expect(codes(side([role({ Path: '/a/' })]), side([role({ Path: '/a/', Description: 'changed in place' })]))).toEqual([]);
  });

  test('types without create-only facts are never replaced', () => {
    const p = (v: string) => res('Policy', 'AWS::IAM::Policy', { PolicyName: v, PolicyDocument: {} });
    expect(codes(side([p('a')]), side([p('b')]))).toEqual([]);
  });
});

describe('diff-type-changed', () => {
  test('a logical id that changes type is an error; the same type passes', () => {
    const [f] = diffAssemblies(side([res('X', 'AWS::IAM::Role', {})]), side([res('X', 'AWS::IAM::ManagedPolicy', {})]));
    expect(f).toMatchObject({ code: 'diff-type-changed', field: 'Type', value: 'AWS::IAM::Role -> AWS::IAM::ManagedPolicy' });
    expect(codes(side([res('X', 'AWS::IAM::Role', {})]), side([res('X', 'AWS::IAM::Role', {})]))).toEqual([]);
  });
});

describe('diff-moved', () => {
  test('a named role now in another stack is an error naming both stacks; an unnamed one is a deletion', () => {
    const [f] = diffAssemblies(side([role({ RoleName: 'app' })]), side([role({ RoleName: 'app' }, { stack: 'App/Namespace-shop' })]));
    expect(f).toMatchObject({ code: 'diff-moved', field: 'RoleName', value: "'app'", stack: 'App/Namespace-shop' });
    expect(f.rule).toMatch(/^moves from Resources\.Role of stack App to Resources\.Role of stack App\/Namespace-shop: /);
    expect(f.fix).toContain('create-stack-refactor');
    expect(codes(side([role({})]), side([role({}, { stack: 'Other' })]))).toEqual(['warning diff-deleted Role']);
  });

  test('an access entry and an association of the same identity in another stack are moves', () => {
    expect(codes(side([entry('STANDARD')]), side([entry('STANDARD', { stack: 'B' })]))).toEqual(['error diff-moved Entry']);
    expect(codes(side([association('shop')]), side([association('shop', { stack: 'B' })]))).toEqual(['error diff-moved Assoc']);
  });

  test('the same name in another account is another role', () => {
    const elsewhere: DiffResource = { ...role({ RoleName: 'app' }, { stack: 'B' }), identity: JSON.stringify(['AWS::IAM::Role', '444455556666', 'app']) };
    expect(codes(side([role({ RoleName: 'app' })]), side([elsewhere]))).toEqual(['warning diff-deleted Role']);
  });
});

describe('diff-logical-id-changed', () => {
  test('a named resource under a new logical id in its stack is an error; a new name is a deletion and a creation', () => {
    const renamed = { ...role({ RoleName: 'app' }), logicalId: 'Role2' };
    const [f] = diffAssemblies(side([role({ RoleName: 'app' })]), side([renamed]));
    expect(f).toMatchObject({ code: 'diff-logical-id-changed', value: "'Role' -> 'Role2'", logicalId: 'Role2' });
    expect(codes(side([role({ RoleName: 'app' })]), side([{ ...role({ RoleName: 'app2' }), logicalId: 'Role2' }]))).toEqual(['warning diff-deleted Role']);
  });
});

describe('diff-identity-taken', () => {
  test('a new resource with the name of a deployed one that stays is an error; another name passes', () => {
    const before = side([role({ RoleName: 'app' })]);
    const [f] = diffAssemblies(before, side([role({ RoleName: 'app' }), role({ RoleName: 'app' }, { stack: 'B' })]));
    expect(f).toMatchObject({ code: 'diff-identity-taken', stack: 'B', field: 'RoleName', value: "'app'" });
    expect(codes(before, side([role({ RoleName: 'app' }), role({ RoleName: 'other' }, { stack: 'B' })]))).toEqual([]);
  });
});

describe('diff-deleted', () => {
  test('a deletion is a warning saying what goes; a retained resource says it stays in the account', () => {
    const provider = res('Provider', 'AWS::IAM::OIDCProvider', { Url: 'https://oidc.example/id/1' }, { retained: true, identity: ['https://oidc.example/id/1'] });
    const [p] = diffAssemblies(side([provider]), side([]));
    expect(p).toMatchObject({ code: 'diff-deleted', severity: 'warning', field: 'Url', value: "'https://oidc.example/id/1'" });
    expect(p.rule).toContain('it is retained (DeletionPolicy Retain)');
    const [e] = diffAssemblies(side([entry('STANDARD')]), side([]));
    expect(e.rule).toContain(`principal 'arn:aws:iam::${ACCOUNT}:role/admins' loses its access to cluster 'c1'`);
    const [x] = diffAssemblies(side([res('Queue', 'Custom::Thing', {})]), side([]));
    expect(x).toMatchObject({ field: 'logical id', value: "'Queue'" });
    expect(codes(side([provider]), side([provider]))).toEqual([]);
  });
});

describe('diff-role-deleted-in-use', () => {
  test('a deleted role the new manifests still name is an error; when nothing names it, a warning', () => {
    const before = side([role({ RoleName: 'app', Path: '/eks/' })]);
    const [f] = diffAssemblies(before, side([], [sa('shop', 'api', `arn:aws:iam::${ACCOUNT}:role/eks/app`)]));
    expect(f).toMatchObject({ code: 'diff-role-deleted-in-use', severity: 'error', field: 'RoleName', value: "'app'" });
    expect(f.rule).toContain('service account shop/api (App.k8s.yaml) still names it');
    expect(codes(before, side([], [sa('shop', 'api')]))).toEqual(['warning diff-deleted Role']);
  });
});

describe('diff-association-interrupted', () => {
  test('an association deleted or replaced while its service account stays is an error; with the service account gone, a warning', () => {
    expect(codes(side([association('shop')]), side([], [sa('shop', 'web')]))).toEqual(['error diff-association-interrupted Assoc']);
    expect(codes(side([association('shop')]), side([], [sa('store', 'web')]))).toEqual(['warning diff-deleted Assoc']);
    // replaced in place (the same logical id, another namespace): the old service account still declared
    const moved = { ...association('store'), logicalId: 'Assoc' };
    expect(codes(side([association('shop')]), side([moved], [sa('shop', 'web'), sa('store', 'web')]))).toEqual(['error diff-association-interrupted Assoc']);
    expect(codes(side([association('shop')]), side([moved], [sa('store', 'web')]))).toEqual(['warning diff-replaced Assoc']);
  });
});

test('referencedIds: Ref, GetAtt in both forms, nested', () => {
  expect([...referencedIds({ a: [{ Ref: 'A' }, { 'Fn::GetAtt': ['B', 'Arn'] }], b: { 'Fn::GetAtt': 'C.Arn' }, c: { 'Fn::Join': ['', [{ Ref: 'D' }]] } })].sort())
    .toEqual(['A', 'B', 'C', 'D']);
});
