import { createHash } from 'node:crypto';

/** A Lua script run with EVALSHA (loaded on each new connection, so a restarted Redis gets it again). */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

export function luaScript(name: string, source: string): LuaScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}
