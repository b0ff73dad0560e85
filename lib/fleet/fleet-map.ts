import * as fs from 'fs';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FleetPlan } from '../identity-spec/bind-fleet';
import { afterSynthesize } from '../private/synth-hook';

/** The fleet identity map as data: clusters, accounts and the roles they share. */
export function fleetMapData(fleetId: string, plan: FleetPlan) {
  return {
    fleet: fleetId,
    stages: plan.stages.map(s => s.id),
    clusters: plan.clusters.map(c => ({
      name: c.name,
      account: c.account,
      region: c.region,
      stage: c.stageId,
      stackName: c.stackName,
      serviceAccounts: (c.spec.serviceAccounts ?? []).map(sa => ({
        namespace: sa.namespace,
        name: sa.name,
        mechanism: sa.mechanism ?? 'irsa',
        ...(sa.existingRoleArn !== undefined ? { roleArn: sa.existingRoleArn } : {}),
      })),
      accessEntries: (c.spec.accessEntries ?? []).map(e => e.principalArn),
      needsStages: c.needs.filter(n => n !== c.stageId),
    })),
    accounts: plan.accounts.map(a => ({
      account: a.account,
      stage: a.stageId,
      stackName: a.stackName,
      oidcProviders: a.providers.map(p => ({ arn: p.arn, clusters: p.clusters })),
      ...(a.imported?.length ? { importedOidcProviders: a.imported.map(p => ({ arn: p.arn, clusters: p.clusters })) } : {}),
      sharedRoles: a.roles.map(r => ({ arn: r.arn, serviceAccount: `${r.spec.namespace}/${r.spec.name}`, clusters: r.clusters.map(c => c.name) })),
    })),
  };
}

/** The map as Markdown: one table of clusters, one of shared roles. */
export function fleetMapMarkdown(data: ReturnType<typeof fleetMapData>): string {
  const lines = [`# Fleet ${data.fleet}`, '', '| cluster | account | region | stage | service accounts | access entries |', '|---|---|---|---|---|---|'];
  for (const c of data.clusters) lines.push(`| ${c.name} | ${c.account} | ${c.region} | ${c.stage} | ${c.serviceAccounts.length} | ${c.accessEntries.length} |`);
  lines.push('', '| account | OIDC providers | shared role | service account | clusters |', '|---|---|---|---|---|');
  for (const a of data.accounts) {
    if (a.sharedRoles.length === 0) lines.push(`| ${a.account} | ${a.oidcProviders.length} | | | |`);
    for (const r of a.sharedRoles) lines.push(`| ${a.account} | ${a.oidcProviders.length} | ${r.arn} | ${r.serviceAccount} | ${r.clusters.join(', ')} |`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Writes `<fleetId>.fleet.json` and `<fleetId>.fleet.md` into the cloud assembly that holds the
 * fleet's stages (the app's `cdk.out`), once its first stack is synthesized.
 */
export function writeFleetMap(fleet: IConstruct, fleetId: string, plan: FleetPlan): void {
  const first = fleet.node.findAll().find((c): c is Stack => Stack.isStack(c));
  if (!first) return;
  const outer = Stage.of(fleet);
  afterSynthesize(first, session => {
    // the stack's stage writes to assembly-<stage>/ under the outer assembly
    const dir = Stage.of(first) !== outer ? path.dirname(session.outdir) : session.outdir;
    const data = fleetMapData(fleetId, plan);
    fs.writeFileSync(path.join(dir, `${fleetId}.fleet.json`), JSON.stringify(data, null, 2) + '\n');
    fs.writeFileSync(path.join(dir, `${fleetId}.fleet.md`), fleetMapMarkdown(data));
  });
}
