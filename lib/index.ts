export * from './errors';
export * from './quotas';
export * from './cluster';
export * from './oidc-provider';
export * from './irsa/service-account-role';
export * from './k8s/identity-chart';
export * from './workload-identity';
