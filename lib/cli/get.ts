// `wmi-put get <path>`: one object by path.
import type { Command } from './command';
import { formatObject, toJson } from './output';

export const getCommand: Command = {
  name: 'get',
  summary: 'print one object by path',
  synopsis: '<path>',
  details: `<path> is an object path: Class.Key="value", Class.K1=1,K2="x", Class=@ (singleton), or a full
\\\\server\\namespace:Class.Key="value". Plain output: the relative path, then one
"Name = value" line per property (strings quoted, NULL, 64-bit integers exact, datetimes as DMTF
strings, arrays as {a, b}). --json: the object with its system properties (__CLASS, __PATH, ...);
64-bit integers as strings, datetimes as DMTF strings.
Exit code 1 when the object does not exist (WBEM_E_NOT_FOUND).`,
  options: [],
  minArgs: 1,
  maxArgs: 1,
  async run(ctx, args) {
    const conn = await ctx.connect();
    const obj = await conn.getObject(args.positionals[0] as string);
    ctx.streams.out.write(ctx.json ? `${toJson(obj)}\n` : formatObject(obj as unknown as Record<string, unknown>));
    return 0;
  },
};
