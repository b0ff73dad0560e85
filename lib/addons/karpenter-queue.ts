/**
 * Karpenter's interruption queue as its getting-started CloudFormation template defines it: an SQS
 * queue (SQS-managed encryption, 300 s retention), a queue policy letting EventBridge and SQS send
 * to it and denying requests without TLS, and the EventBridge rules that forward interruption
 * events to it. Internal to `KarpenterIdentity`.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { since } from './types';
import { acknowledgeNag } from '../private/nag';

/** The EventBridge rules of the template: logical id, source, detail-type, first docs version. */
export const INTERRUPTION_RULES: ReadonlyArray<{ id: string; source: string; detailType: string; since?: string }> = [
  { id: 'ScheduledChangeRule', source: 'aws.health', detailType: 'AWS Health Event' },
  { id: 'SpotInterruptionRule', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  { id: 'RebalanceRule', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  { id: 'InstanceStateChangeRule', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
  // in the v1.12 docs' template and later; not in v1.0's
  { id: 'CapacityReservationInterruptionRule', source: 'aws.ec2', detailType: 'EC2 Capacity Reservation Instance Interruption Warning', since: 'v1.12' },
];

/** The rules of a Karpenter version. */
export function interruptionRulesAt(version: string) {
  return INTERRUPTION_RULES.filter(r => !r.since || since(version, r.since));
}

/** @internal */
export interface QueueParts {
  readonly queue: sqs.Queue;
  readonly rules: events.CfnRule[];
}

/** The queue, its policy and the rules. @internal */
export function createInterruptionQueue(scope: Construct, queueName: string, version: string): QueueParts {
  const queue = new sqs.Queue(scope, 'InterruptionQueue', {
    queueName,
    retentionPeriod: Duration.seconds(300),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  queue.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('sqs.amazonaws.com')],
    actions: ['sqs:SendMessage'],
    resources: [queue.queueArn],
  }));
  acknowledgeNag(queue, [{
    rule: 'AwsSolutions-SQS3',
    reason: 'Karpenter\'s interruption queue keeps messages 300 s and the controller deletes what it reads; a dead-letter queue would hold stale interruption notices nobody reads',
  }]);
  const rules = interruptionRulesAt(version).map(r => new events.CfnRule(scope, r.id, {
    eventPattern: { 'source': [r.source], 'detail-type': [r.detailType] },
    targets: [{ id: 'KarpenterInterruptionQueueTarget', arn: queue.queueArn }],
  }));
  return { queue, rules };
}
