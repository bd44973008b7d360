// `wmi-put delete <path>`: deletes an instance (or, with --class, a class
// with its subclasses and all their instances).
import { flag, type Command } from './command';
import { toJson } from './output';

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'delete an instance by path (or a class with --class)',
  synopsis: '<path>',
  details: `Deletes the instance at <path> (Class.Key="value"). With --class, <path> is a class name and
the class is deleted with its subclasses and all their instances.
Exit code 1 when the object does not exist (WBEM_E_NOT_FOUND).`,
  options: [{ name: 'class', kind: 'flag', help: '<path> names a class: delete the class, its subclasses and instances' }],
  minArgs: 1,
  maxArgs: 1,
  async run(ctx, args) {
    const target = args.positionals[0] as string;
    const isClass = flag(args, 'class');
    const conn = await ctx.connect();
    if (isClass) await conn.deleteClass(target);
    else await conn.deleteInstance(target);
    ctx.streams.out.write(ctx.json ? `${toJson({ deleted: target, class: isClass })}\n` : `deleted ${target}\n`);
    return 0;
  },
};
