import { Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FleetAccountStack } from './account-stack';
import { writeFleetMap } from './fleet-map';
import { bindFleet, FleetPlan } from '../identity-spec/bind-fleet';
import { IdentitySpecFile } from '../identity-spec/loader';
import { IdentitySpec } from '../identity-spec/types';
import { enforceErrors } from '../private/enforce';
import { DEFAULT_AUDIENCE } from '../rules/issuer';
import { WorkloadIdentityStack } from '../stack';
import { IdentityMechanism } from '../workload-identity';

/** Properties of an `IdentityFleet`. */
export interface IdentityFleetProps {
  /** The spec: `clusters:` (a fleet), or `cluster:` (a fleet of one). */
  readonly spec: IdentitySpec;

  /**
   * The file `spec` was read from: errors about the spec name it first. `fromSpecFile` sets it.
   *
   * @default - none
   */
  readonly specFile?: string;
}

/**
 * The identity of a fleet of EKS clusters from one spec: one CDK `Stage` per (account, region),
 * each with one `WorkloadIdentityStack` per cluster of that environment and, in each account's
 * first stage, a `FleetAccountStack` with the account's OIDC providers (one per issuer) and the
 * roles shared by several clusters. `cdk deploy --all --concurrency N` and CDK Pipelines waves
 * deploy the stages in parallel; `waves` says which stages must precede which (docs/fleet.md).
 */
export class IdentityFleet extends Construct {
  /** A fleet from a spec file (YAML or JSON). */
  public static fromSpecFile(scope: Construct, id: string, file: string): IdentityFleet {
    return new IdentityFleet(scope, id, { spec: IdentitySpecFile.load(file), specFile: file });
  }

  /** The stages, one per (account, region), in spec order. */
  public readonly stages: Stage[] = [];
  /** The account stacks (providers and shared roles), one per account that needs one. */
  public readonly accountStacks: FleetAccountStack[] = [];
  /** The cluster stacks, in spec order. */
  public readonly clusterStacks: WorkloadIdentityStack[] = [];
  /** The cluster names, in the order of `clusterStacks`. */
  public readonly clusterNames: string[] = [];

  private readonly plan: FleetPlan;
  private readonly stageById = new Map<string, Stage>();

  constructor(scope: Construct, id: string, props: IdentityFleetProps) {
    super(scope, id);
    const spec = props.spec;
    this.plan = bindFleet(spec, id);
    enforceErrors(this.plan.findings, props.specFile);

    for (const s of this.plan.stages) {
      const stage = new Stage(this, s.id, { env: { account: s.account, region: s.region } });
      this.stages.push(stage);
      this.stageById.set(s.id, stage);
    }
    const accountStackOf = new Map<string, FleetAccountStack>();
    for (const a of this.plan.accounts) {
      const stack = new FleetAccountStack(this.stageById.get(a.stageId)!, `Account-${a.account}`, {
        spec,
        _plan: a,
        _audiences: providerAudiences(spec, this.plan),
        specFile: props.specFile,
        stackName: a.stackName,
        env: { account: a.account, region: a.region },
        description: `Workload identity of account ${a.account}: OIDC providers and shared roles of fleet ${id} (cdk-eks-identity)`,
      });
      this.accountStacks.push(stack);
      accountStackOf.set(a.stageId, stack);
    }
    for (const c of this.plan.clusters) {
      const stack = new WorkloadIdentityStack(this.stageById.get(c.stageId)!, `Cluster-${c.name}`, {
        spec: c.spec, specFile: props.specFile ? `${props.specFile} (cluster ${c.name})` : undefined,
      });
      // within a stage, the account stack first; across stages, the order of `waves`
      const same = accountStackOf.get(c.stageId);
      if (same && c.needs.includes(c.stageId)) stack.addStackDependency(same, 'its OIDC provider and shared roles');
      this.clusterStacks.push(stack);
      this.clusterNames.push(c.name);
    }
    writeFleetMap(this, id, this.plan);
  }

  /**
   * The stages in deployment waves: a stage comes after every stage whose account stack it uses
   * (the account's OIDC provider, a shared role in another account). CDK cannot order stacks of
   * different stages, so a pipeline adds one wave per item (docs/fleet.md); the stages of one wave
   * deploy in parallel.
   */
  public get waves(): Stage[][] {
    const needs = new Map<string, Set<string>>(this.plan.stages.map(s => [s.id, new Set<string>()]));
    for (const c of this.plan.clusters) for (const n of c.needs) if (n !== c.stageId) needs.get(c.stageId)!.add(n);
    const out: Stage[][] = [];
    const done = new Set<string>();
    while (done.size < needs.size) {
      const wave = [...needs.keys()].filter(s => !done.has(s) && [...needs.get(s)!].every(n => done.has(n)));
      if (wave.length === 0) throw new Error('cycle in the fleet stage order');
      wave.forEach(s => done.add(s));
      out.push(wave.map(s => this.stageById.get(s)!));
    }
    return out;
  }

  /** The stage of (account, region), if the fleet has one. */
  public stageOf(account: string, region: string): Stage | undefined {
    return this.stageById.get(`Env-${account}-${region}`);
  }
}

/** The audiences of the IRSA service accounts on each provider's clusters: the provider's client ids. */
function providerAudiences(spec: IdentitySpec, plan: FleetPlan): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of plan.accounts) {
    for (const p of a.providers) {
      const set = new Set<string>();
      for (const c of plan.clusters.filter(x => p.clusters.includes(x.name))) {
        for (const sa of c.spec.serviceAccounts ?? []) {
          if ((sa.mechanism ?? IdentityMechanism.IRSA) === IdentityMechanism.IRSA) set.add(sa.audience ?? DEFAULT_AUDIENCE);
        }
      }
      out.set(p.arn, set.size > 0 ? [...set] : [DEFAULT_AUDIENCE]);
    }
  }
  void spec;
  return out;
}
