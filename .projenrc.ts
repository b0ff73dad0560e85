import { awscdk, javascript } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-eks-identity',
  description: 'AWS CDK constructs that give Amazon EKS workloads their AWS identity: IRSA, Pod Identity, access entries, Fargate and the ServiceAccount manifests, validated at synth time.',
  author: 'cdk-eks-identity developers',
  authorAddress: 'dev@cdk-eks-identity.invalid',
  repositoryUrl: 'https://github.com/cdk-eks-identity/cdk-eks-identity.git',
  keywords: ['aws-cdk', 'eks', 'irsa', 'pod-identity', 'access-entry', 'cdk8s', 'kubernetes', 'iam'],
  license: 'Apache-2.0',

  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  github: false,
  release: false,

  // jsii bindings for every CDK language, named as Construct Hub expects. The registries of the
  // other languages are not reachable from CI: `.ci/run` generates their code (jsii-pacmak
  // --code-only) and compiles what the machine can compile.
  publishToPypi: { distName: 'cdk-eks-identity', module: 'cdk_eks_identity' },
  publishToMaven: {
    javaPackage: 'io.github.cdkeksidentity',
    mavenGroupId: 'io.github.cdk-eks-identity',
    mavenArtifactId: 'cdk-eks-identity',
  },
  publishToNuget: { dotNetNamespace: 'CdkEksIdentity', packageId: 'CdkEksIdentity' },
  publishToGo: { moduleName: 'github.com/cdk-eks-identity/cdk-eks-identity-go', packageName: 'cdkeksidentity' },

  srcdir: 'lib',
  testdir: 'test',

  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',

  peerDeps: ['cdk8s@^2.70.106', 'cdk8s-plus-28@^2.5.6'],
  bundledDeps: ['yaml@^2.9.1', 'ajv@^8.20.0'],
  devDeps: [
    'aws-cdk@2.1148.1',
    // security reviews run cdk-nag's AwsSolutions pack: a test runs it over every example
    'cdk-nag@^3.0.2',
    'kubernetes-models@~4.5.0',
    'ts-node@^10.9.2',
    '@types/node@^20',
    // the kubectl layer of the examples and tests (Kubernetes 1.31). Users install the one that
    // matches their cluster: it is resolved at synth, only when manifests are applied in-stack.
    '@aws-cdk/lambda-layer-kubectl-v31@^2.1.0',
  ],

  jestOptions: {
    jestVersion: '^29.7.0',
    // Snapshots must be able to fail: `npm test` never rewrites them.
    // `npx projen test:update` is the deliberate way to accept a change.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      // the cfn-lint and synth-heavy suites share 2 cores; keep memory bounded
      maxWorkers: 2,
      // lib/ holds both the sources and jsii's compiled output: always test the sources
      moduleFileExtensions: ['ts', 'js', 'json', 'node'],
    },
  },

  eslintOptions: {
    dirs: ['lib'],
    devdirs: ['test', 'examples', 'bench', 'projenrc', '.projenrc.ts'],
  },

  tsconfigDev: {
    include: ['../examples/**/*.ts', '../bench/**/*.ts'],
    compilerOptions: {},
  },

  gitignore: ['cdk.out', 'cdk.out.*', '*.k8s.yaml.tmp', '/bench/results/', '/.tmp/'],
});

// jest 30 and eslint-import-resolver-typescript 4 pull unrs-resolver, whose per-platform
// bindings the registry here does not serve: `npm ci` then refuses the lock file. Jest is held at
// 29 (jestOptions.jestVersion) and the resolver at 3.8 (which uses enhanced-resolve).
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@~3.8.0');
// projen derives these from jestVersion, but their 29 lines end earlier than jest's
project.deps.removeDependency('@types/jest');
project.deps.removeDependency('ts-jest');
project.addDevDeps('@types/jest@^29.5.14', 'ts-jest@^29.4.0');

// TypeScript 6 wants explicit types and a rootDir (DESIGN.md section 7).
project.tsconfig?.file.addOverride('compilerOptions.types', ['node']);
project.tsconfigDev.file.addOverride('compilerOptions.types', ['node', 'jest']);
project.tsconfigDev.file.addOverride('compilerOptions.rootDir', '..');

project.npmignore?.exclude('/examples/', '/bench/', 'cdk.json', '/.ci/');

project.addTask('bench', {
  description: 'Synthesis benchmark: WorkloadIdentityStack vs raw aws-cdk-lib vs aws-eks-v2 (not a test)',
  steps: [
    // the library as users run it: compiled JavaScript (lib/*.js, gitignored, as jsii writes it)
    { exec: 'tsc -p tsconfig.json' },
    { exec: 'node --max-old-space-size=4096 -r ts-node/register/transpile-only bench/run.ts' },
  ],
});

// docs/rules.md from the RULES metadata of lib/rules (test/rules-catalog.test.ts fails when it is stale)
project.addTask('docs:rules', {
  description: 'Regenerates docs/rules.md from the rule metadata (RULES) of lib/rules',
  exec: 'node -r ts-node/register/transpile-only projenrc/rules-doc.ts',
});

// the `cdk-eks-identity` command (doctor, migrate): lib/cli, compiled by jsii into lib/
project.addBins({ 'cdk-eks-identity': 'lib/cli/main.js' });

project.synth();
