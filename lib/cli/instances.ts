// `wmi-put instances <class>`: every instance of a class, streamed.
import { flag, type Command } from './command';
import { emit, formatObject, toJson } from './output';

export const instancesCommand: Command = {
  name: 'instances',
  summary: 'list the instances of a class (and of its subclasses)',
  synopsis: '<class>',
  details: `Plain output: per instance, its relative path, then its properties indented ("Name = value",
as in 'get'). --paths prints only the relative paths. --json prints a JSON array of the objects
(system properties included; 64-bit integers as strings, datetimes as DMTF strings), streamed.`,
  options: [
    { name: 'shallow', kind: 'flag', help: 'only instances of the class itself, not of its subclasses' },
    { name: 'paths', kind: 'flag', help: 'print only the relative paths' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(ctx, args) {
    const conn = await ctx.connect();
    const { out } = ctx.streams;
    const pathsOnly = flag(args, 'paths');
    let n = 0;
    for await (const obj of conn.enumerateInstances(args.positionals[0] as string, { deep: !flag(args, 'shallow') })) {
      const record = obj as unknown as Record<string, unknown>;
      if (ctx.json) {
        const value = pathsOnly ? record.__RELPATH : record;
        await emit(out, `${n === 0 ? '[\n' : ',\n'}${toJson(value)}`);
      } else {
        await emit(out, pathsOnly ? `${String(record.__RELPATH)}\n` : formatObject(record));
      }
      n++;
    }
    if (ctx.json) out.write(n === 0 ? '[]\n' : '\n]\n');
    return 0;
  },
};
