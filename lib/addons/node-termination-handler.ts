import { AddonDefinition, allow } from './types';

export const NODE_TERMINATION_HANDLER: AddonDefinition = {
  id: 'node-termination-handler',
  description: 'AWS Node Termination Handler in queue-processor mode',
  repository: 'aws/aws-node-termination-handler',
  defaultNamespace: 'kube-system',
  defaultServiceAccount: 'aws-node-termination-handler',
  helm: { chart: 'eks/aws-node-termination-handler', serviceAccountKey: 'serviceAccount', notes: 'also enableSqsTerminationDraining: true and queueURL (queue processor mode)' },
  mechanisms: ['irsa', 'podIdentity'],
  versions: ['v1.20.0', 'v1.21.0', 'v1.22.1', 'v1.23.1', 'v1.24.0', 'v1.25.6'],
  documents: [{
    name: 'queue-processor',
    description: 'the queue-processor policy of the README',
    upstreamFile: () => 'queue-processor-policy.json',
    statements: () => [allow(['autoscaling:CompleteLifecycleAction', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeTags',
      'ec2:DescribeInstances', 'sqs:DeleteMessage', 'sqs:ReceiveMessage'], '*')],
  }],
  defaultDocuments: ['queue-processor'],
  changes: {},
};
