// `wmi-put classes`: the class names of a namespace (or below a superclass).
import type { ClassDefinition } from '../types';
import { flag, stringOption, type Command } from './command';
import { toJson } from './output';

export const classesCommand: Command = {
  name: 'classes',
  summary: 'list classes (top-level, or the subclasses of --superclass)',
  synopsis: '',
  details: `Prints one class name per line, sorted. Without --deep only the direct subclasses of
--superclass (or the top-level classes) are listed. System classes (__*) are hidden unless
--system is given or --superclass is itself a system class. --json prints the class definitions
(as 'class --json' does) as one JSON array.`,
  options: [
    { name: 'superclass', short: 's', kind: 'string', arg: 'class', help: 'list the subclasses of this class' },
    { name: 'deep', kind: 'flag', help: 'all descendants, not only direct subclasses' },
    { name: 'system', kind: 'flag', help: 'include system classes (names starting with __)' },
  ],
  minArgs: 0,
  maxArgs: 0,
  async run(ctx, args) {
    const superclass = stringOption(args, 'superclass') ?? '';
    const showSystem = flag(args, 'system') || superclass.startsWith('__');
    const conn = await ctx.connect();
    const found: ClassDefinition[] = [];
    for await (const def of conn.enumerateClasses(superclass, { deep: flag(args, 'deep') })) {
      if (showSystem || !def.name.startsWith('__')) found.push(def);
    }
    found.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));
    ctx.streams.out.write(ctx.json ? `${toJson(found)}\n` : found.map((d) => `${d.name}\n`).join(''));
    return 0;
  },
};
