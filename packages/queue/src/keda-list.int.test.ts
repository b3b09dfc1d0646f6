import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { dropQueuePrefix, TEST_REDIS_URL, testQueuePrefix } from '@splits/testing';
import { createQueues, createRedis, enqueue, type Queues } from './index.js';

/**
 * What infra/k8s's KEDA triggers read: BullMQ's waiting list of a queue is the Redis list
 * `<QUEUE_PREFIX>:<queue>:wait`, also under a hash-tagged prefix (`{splits}`, for Redis Cluster).
 */
const prefix = `{${testQueuePrefix('keda')}}`;
let redis: Redis;
let queues: Queues;

beforeAll(() => {
  redis = createRedis(TEST_REDIS_URL);
  queues = createQueues(redis, prefix);
});
afterAll(async () => {
  await queues.close();
  await dropQueuePrefix(TEST_REDIS_URL, prefix);
  await redis.quit();
});

describe('the waiting list KEDA scales on', () => {
  it('is the list <prefix>:<queue>:wait, as long as the queue has waiting jobs', async () => {
    for (const athleteId of ['a1', 'a2', 'a3']) await enqueue(queues, 'poll-athlete', { athleteId });
    const list = `${prefix}:poll-athlete:wait`;
    expect(await redis.type(list)).toBe('list');
    expect(await redis.llen(list)).toBe(3);
    expect(await queues['poll-athlete'].getWaitingCount()).toBe(3);
  });
});
