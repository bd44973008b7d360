// putClass: 1,000 classes in a 5-level hierarchy, each level put once its
// parents exist (the classes of one level all in flight together); classes/s.
import { createRepository, connect, quick, startClock, trial } from './common.mjs';

// Classes per level; each class derives from one of the previous level.
const widths = quick ? [1, 4, 10, 25, 60] : [5, 20, 75, 200, 700];

function definition(level, i) {
  const name = `Bench_L${level}_${i}`;
  const def = {
    name,
    qualifiers: { Description: `level ${level} class ${i}` },
    properties: { [`P${level}`]: { type: 'uint32' }, [`S${level}`]: { type: 'string' } },
  };
  if (level === 0) def.properties.Id = { type: 'string', key: true };
  else def.superclass = `Bench_L${level - 1}_${i % widths[level - 1]}`;
  return def;
}

await trial(async () => {
  const conn = await connect({ backend: 'embedded', namespace: 'root/cimv2', repository: createRepository() });
  const count = widths.reduce((a, b) => a + b, 0);
  const clock = startClock();
  for (let level = 0; level < widths.length; level++) {
    const puts = [];
    for (let i = 0; i < widths[level]; i++) puts.push(conn.putClass(definition(level, i)));
    await Promise.all(puts);
  }
  const t = clock.stop(count);
  const deepest = await conn.getClass(`Bench_L4_${widths[4] - 1}`);
  if (!deepest.superclass) throw new Error('the deepest class came back without a superclass');
  await conn.close();
  return { count, levels: widths.length, ...t };
});
