import { SamplingDecision, type Attributes, type Context, type Link, type SpanKind } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace-base';

/**
 * BullMQ's telemetry (bullmq-otel) also opens a span for each worker's housekeeping: the blocking
 * wait for the next job, stalled-job checks, lock renewals, closing. Outside a workout's trace
 * (as roots) they would be a few new traces per second per idle worker, burying the workouts in the
 * trace viewer; they and everything under them are not recorded. Inside a trace (a job's span, a
 * request's) the parent decides, as the SDK's ParentBased sampler does around this one.
 */
const HOUSEKEEPING = /^(getNextJob|moveStalledJobsToWait|startStalledCheckTimer|extendLocks|close|pause|resume|rateLimit|trimEvents|drain)( |$)/;

export class QuietQueueHousekeepingSampler implements Sampler {
  shouldSample(_ctx: Context, _traceId: string, spanName: string, _kind: SpanKind, _attrs: Attributes, _links: Link[]): SamplingResult {
    return { decision: HOUSEKEEPING.test(spanName) ? SamplingDecision.NOT_RECORD : SamplingDecision.RECORD_AND_SAMPLED };
  }

  toString(): string {
    return 'QuietQueueHousekeepingSampler';
  }
}
