import {
  checkAnnotations, checkCreatedNamespace, checkLabels, checkLabelValue, checkNamespaceName, checkObjectName,
  checkQualifiedName, checkServiceAccountName, MAX_ANNOTATIONS_BYTES, serviceAccountSubject,
} from '../../lib/rules/k8s-names';

describe('checkServiceAccountName (DNS-1123 subdomain, <= 253)', () => {
  test.each([
    'a', // one character is valid
    'my-sa',
    'aws-load-balancer-controller',
    'ebs-csi-controller-sa',
    'sa.v1',
    '0',
    'a'.repeat(253),
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, // 253 in dotted labels
  ])('%s is valid', name => {
    expect(checkServiceAccountName('serviceAccounts[0].name', name)).toEqual([]);
  });

  test('My_SA is an error naming the field, the value and the rule', () => {
    const fs = checkServiceAccountName('serviceAccounts[0].name', 'My_SA');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'k8s-service-account-name', severity: 'error', field: 'serviceAccounts[0].name', value: "'My_SA'" });
    expect(fs[0].rule).toContain('DNS-1123 subdomain');
    expect(fs[0].rule).toContain('253');
    expect(fs[0].fix).toContain("'my-sa'");
  });

  test.each([
    ['empty', ''],
    ['upper case', 'MySa'],
    ['underscore', 'my_sa'],
    ['leading dash', '-sa'],
    ['trailing dash', 'sa-'],
    ['trailing dot', 'sa.'],
    ['double dot', 'a..b'],
    ['colon (would break the subject)', 'ns:sa'],
    ['254 characters', 'a'.repeat(254)],
  ])('%s is an error', (_, name) => {
    const fs = checkServiceAccountName('sa', name);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'k8s-service-account-name', severity: 'error', field: 'sa' });
  });

  test('the suggested name is itself valid', () => {
    const fix = checkServiceAccountName('sa', '__My_Service__Account!!')[0].fix;
    const suggested = /'([^']+)'/.exec(fix)![1];
    expect(checkServiceAccountName('sa', suggested)).toEqual([]);
  });
});

describe('checkNamespaceName (DNS-1123 label, <= 63)', () => {
  test.each(['team-a', 'a', 'kube-system', 'default', '1abc', 'a'.repeat(63)])('%s is valid', ns => {
    expect(checkNamespaceName('serviceAccounts[0].namespace', ns)).toEqual([]);
  });

  test('team.a is an error (no dots in a label)', () => {
    const fs = checkNamespaceName('serviceAccounts[0].namespace', 'team.a');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'k8s-namespace', severity: 'error', field: 'serviceAccounts[0].namespace', value: "'team.a'" });
    expect(fs[0].rule).toContain('DNS-1123 label');
    expect(fs[0].rule).toContain('63');
    // the suggestion for a namespace drops dots
    expect(fs[0].fix).toContain("'team-a'");
  });

  test('a 64-character namespace is an error', () => {
    const fs = checkNamespaceName('ns', 'a'.repeat(64));
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'k8s-namespace', severity: 'error', field: 'ns' });
    expect(fs[0].rule).toContain('at most 63 characters');
    expect(fs[0].fix).toContain(`'${'a'.repeat(63)}'`);
  });

  test.each(['', 'Team-A', 'team_a', '-team', 'team-'])('%j is an error', ns => {
    expect(checkNamespaceName('ns', ns)).toMatchObject([{ code: 'k8s-namespace', severity: 'error', field: 'ns' }]);
  });
});

describe('checkObjectName', () => {
  test('DNS-1123 subdomains are valid', () => {
    expect(checkObjectName('binding.name', 'read-pods')).toEqual([]);
    expect(checkObjectName('binding.name', 'team-a.read-pods')).toEqual([]);
  });

  test('upper case and over-long names are errors', () => {
    expect(checkObjectName('binding.name', 'ReadPods')).toMatchObject([{ code: 'k8s-object-name', severity: 'error', field: 'binding.name' }]);
    const fs = checkObjectName('binding.name', 'a'.repeat(254));
    expect(fs).toMatchObject([{ code: 'k8s-object-name', severity: 'error' }]);
    expect(fs[0].rule).toContain('253');
  });
});

describe('checkCreatedNamespace (kube-* is reserved when we create it)', () => {
  test('team-a and kubernetes-apps are fine', () => {
    expect(checkCreatedNamespace('manifests.createNamespaces', 'team-a')).toEqual([]);
    expect(checkCreatedNamespace('manifests.createNamespaces', 'kubeapps')).toEqual([]);
  });

  test('a new kube-* namespace is a warning, not an error', () => {
    const fs = checkCreatedNamespace('serviceAccounts[0].namespace', 'kube-tools');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'k8s-reserved-namespace', severity: 'warning', field: 'serviceAccounts[0].namespace', value: "'kube-tools'" });
    expect(fs[0].rule).toContain("'kube-'");
    expect(fs[0].fix).toContain('createNamespaces: false');
  });
});

describe('checkQualifiedName (label and annotation keys)', () => {
  test.each([
    'app',
    'app.kubernetes.io/name',
    'example.com/My_Key.v1',
    'a',
    `example.com/${'k'.repeat(63)}`,
    `${'p'.repeat(63)}.${'q'.repeat(63)}.${'r'.repeat(63)}.${'s'.repeat(61)}/name`, // 253-character prefix
  ])('%s is a valid label key', key => {
    expect(checkQualifiedName('labels', key, 'label')).toEqual([]);
  });

  test('a name part of 64 characters is an error', () => {
    const fs = checkQualifiedName('labels.x', `example.com/${'k'.repeat(64)}`, 'label');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'k8s-label-key', severity: 'error', field: 'labels.x' });
    expect(fs[0].rule).toContain('1-63');
  });

  test.each([
    ['empty prefix', '/name', 'prefix'],
    ['prefix with underscore', 'my_corp.com/name', 'prefix'],
    ['two slashes', 'a/b/c', 'prefix'],
    ['254-character prefix', `${'p'.repeat(63)}.${'q'.repeat(63)}.${'r'.repeat(63)}.${'s'.repeat(62)}/name`, 'prefix'],
    ['empty name', 'example.com/', 'name part'],
    ['empty key', '', 'name part'],
    ['name starting with a dash', '-app', 'name part'],
    ['name with a space', 'my key', 'name part'],
  ])('%s is an error', (_, key, part) => {
    const fs = checkQualifiedName('labels', key, 'label');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'k8s-label-key', severity: 'error', field: 'labels' });
    expect(fs[0].rule).toContain(part);
  });

  test('annotation keys get their own code', () => {
    expect(checkQualifiedName('annotations.x', 'bad key', 'annotation')).toMatchObject([{ code: 'k8s-annotation-key', severity: 'error', field: 'annotations.x' }]);
  });

  test('annotation key prefixes are checked ignoring case (apimachinery lower-cases them); label key prefixes are not', () => {
    expect(checkQualifiedName('annotations', 'Example.COM/Owner', 'annotation')).toEqual([]);
    expect(checkQualifiedName('labels', 'Example.COM/owner', 'label')).toMatchObject([{ code: 'k8s-label-key', severity: 'error' }]);
  });
});

describe('checkLabelValue (<= 63, alphanumeric at both ends, or empty)', () => {
  test.each(['', 'v1', 'My_Value.1-a', 'a'.repeat(63)])('%j is valid', v => {
    expect(checkLabelValue('labels.app', v)).toEqual([]);
  });

  test('a 64-character value is an error', () => {
    const fs = checkLabelValue('labels.app', 'a'.repeat(64));
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'k8s-label-value', severity: 'error', field: 'labels.app' });
    expect(fs[0].rule).toContain('63');
    expect(fs[0].fix).toContain('annotation');
  });

  test.each(['-v', 'v-', 'a b', 'a/b', 'é'])('%j is an error', v => {
    expect(checkLabelValue('labels.app', v)).toMatchObject([{ code: 'k8s-label-value', severity: 'error' }]);
  });
});

describe('checkLabels', () => {
  test('valid labels give no findings', () => {
    expect(checkLabels('labels', { 'app.kubernetes.io/name': 'web', 'tier': '' })).toEqual([]);
    expect(checkLabels('labels', {})).toEqual([]);
  });

  test('each bad key and value is reported under <field>.<key>', () => {
    const fs = checkLabels('spec.labels', { 'bad key': 'ok', 'good': 'x'.repeat(64) });
    expect(fs).toEqual([
      expect.objectContaining({ code: 'k8s-label-key', severity: 'error', field: 'spec.labels.bad key' }),
      expect.objectContaining({ code: 'k8s-label-value', severity: 'error', field: 'spec.labels.good' }),
    ]);
  });

  test('a non-string value (unquoted YAML number) is an error', () => {
    const fs = checkLabels('labels', { version: 2 as unknown as string });
    expect(fs).toEqual([expect.objectContaining({ code: 'k8s-label-value', severity: 'error', field: 'labels.version', value: '2' })]);
    expect(fs[0].fix).toContain('quote');
  });
});

describe('checkAnnotations (qualified keys, <= 256 KiB in total)', () => {
  test('ordinary annotations are fine', () => {
    expect(checkAnnotations('annotations', { 'example.com/owner': 'team-a', 'note': 'any text: is fine here!' })).toEqual([]);
  });

  test('a total of exactly 256 KiB is fine', () => {
    expect(MAX_ANNOTATIONS_BYTES).toBe(262144);
    expect(checkAnnotations('annotations', { k: 'v'.repeat(MAX_ANNOTATIONS_BYTES - 1) })).toEqual([]);
  });

  test('more than 256 KiB of keys and values is an error', () => {
    const fs = checkAnnotations('serviceAccounts[0].annotations', { a: 'v'.repeat(MAX_ANNOTATIONS_BYTES - 1), b: 'x' });
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({
      code: 'k8s-annotations-size', severity: 'error', field: 'serviceAccounts[0].annotations', value: `'${MAX_ANNOTATIONS_BYTES + 2} bytes'`,
    });
    expect(fs[0].rule).toContain('262144');
    expect(fs[0].rule).toContain('256 KiB');
  });

  test('the size counts bytes, not characters', () => {
    // 131,072 two-byte characters + a 1-byte key: 262,145 bytes
    const fs = checkAnnotations('annotations', { k: 'é'.repeat(MAX_ANNOTATIONS_BYTES / 2) });
    expect(fs).toMatchObject([{ code: 'k8s-annotations-size', severity: 'error' }]);
  });

  test('a bad key is reported under <field>.<key>', () => {
    expect(checkAnnotations('annotations', { 'not/a/key': 'v' })).toEqual([
      expect.objectContaining({ code: 'k8s-annotation-key', severity: 'error', field: 'annotations.not/a/key' }),
    ]);
  });

  test('a non-string value is an error', () => {
    expect(checkAnnotations('annotations', { 'example.com/n': true as unknown as string })).toEqual([
      expect.objectContaining({ code: 'k8s-annotation-value', severity: 'error', field: 'annotations.example.com/n', value: 'true' }),
    ]);
  });
});

describe('serviceAccountSubject', () => {
  test('is system:serviceaccount:<namespace>:<name>', () => {
    expect(serviceAccountSubject('team-a', 'app')).toBe('system:serviceaccount:team-a:app');
    expect(serviceAccountSubject('kube-system', 'aws-node')).toBe('system:serviceaccount:kube-system:aws-node');
  });
});
