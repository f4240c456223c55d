// Public surface of @bizmetrics/redis: each export by name.

export { createRedisStores } from './createRedisStores';
export type { RedisStores, RedisStoresOptions } from './createRedisStores';
export { RedisActiveUserStore } from './redisActiveUserStore';
export { RedisFunnelStore } from './redisFunnelStore';
export type { RedisOperation } from './redisOperation';
export { RedisStoreHealth } from './redisStoreHealth';
