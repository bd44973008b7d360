// `wmi-put namespaces`: every namespace, found by walking the __NAMESPACE
// instances down from root.
import type { Command } from './command';
import { toJson } from './output';

export const namespacesCommand: Command = {
  name: 'namespaces',
  summary: 'list every namespace (the __NAMESPACE instances, recursively from root)',
  synopsis: '',
  details: `Prints one full namespace name per line (root, root\\cimv2, ...), each namespace followed
by its children, children sorted by name. --json prints them as a JSON array of strings.
(--namespace is not used: the walk always starts at root.)`,
  options: [],
  minArgs: 0,
  maxArgs: 0,
  async run(ctx) {
    const names: string[] = [];
    const walk = async (ns: string): Promise<void> => {
      names.push(ns);
      const conn = await ctx.connect(ns);
      const children: string[] = [];
      for await (const obj of conn.enumerateInstances('__NAMESPACE', { deep: false })) {
        const name = (obj as unknown as Record<string, unknown>).Name;
        if (typeof name === 'string') children.push(name);
      }
      await conn.close();
      children.sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
      for (const child of children) await walk(`${ns}\\${child}`);
    };
    await walk('root');
    ctx.streams.out.write(ctx.json ? `${toJson(names)}\n` : names.map((n) => `${n}\n`).join(''));
    return 0;
  },
};
