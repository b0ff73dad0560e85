import { App } from 'aws-cdk-lib';
import { parse, stringify } from 'yaml';
import { synth, Synthesized } from './synth';
import { WorkloadIdentityStack } from '../../lib';
import { IdentitySpecFile } from '../../lib/identity-spec/loader';

const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

/**
 * What a user does with the output of `migrate eksctl`: fills in what the report says to add (the
 * account, the issuer), loads it as a spec file and synthesizes it (cfn-lint and the Kubernetes
 * schemas run over the result).
 */
export function synthMigrated(yaml: string, report: string[], id = 'Migrated'): Synthesized {
  const spec = parse(yaml);
  if (report.some(l => l.startsWith('add cluster.account'))) spec.cluster.account = '111122223333';
  if (report.some(l => l.startsWith('add cluster.oidcIssuerUrl'))) spec.cluster.oidcIssuerUrl = ISSUER;
  const app = new App();
  new WorkloadIdentityStack(app, id, { spec: IdentitySpecFile.parse(stringify(spec), `${id}.yaml`) });
  return synth(app);
}
