/**
 * What a Redis command was for: the `operation` label of `bizmetrics_redis_errors_total` and
 * `bizmetrics_redis_dropped_total` (`connection` is the client's own connection errors).
 */
export type RedisOperation =
  | 'funnel_step'
  | 'funnel_complete'
  | 'funnel_end'
  | 'funnel_sweep'
  | 'active_users_add'
  | 'active_users_count'
  | 'connection';

export const redisOperations: readonly RedisOperation[] = [
  'funnel_step',
  'funnel_complete',
  'funnel_end',
  'funnel_sweep',
  'active_users_add',
  'active_users_count',
  'connection',
];
