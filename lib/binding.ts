// Loads the native addon (node-gyp-build: build/Release first, then
// prebuilds/<platform>-<arch>; or exactly the file named by the environment
// variable WMI_PUT_ADDON_PATH, e.g. a sanitizer build) and hands it the value
// classes it converts to and from. Loaded once per JS environment (main
// thread or worker).
import * as path from 'node:path';
import type { Binding } from '../binding';
import { CimDateTime, CimInterval } from './datetime';

type Loader = (dir: string) => unknown;

// dist/lib/binding.js -> the package root.
const packageRoot = path.resolve(__dirname, '..', '..');

function load(): Binding {
  const explicit = process.env.WMI_PUT_ADDON_PATH;
  const native = (
    explicit ? require(path.resolve(explicit)) : (require('node-gyp-build') as Loader)(packageRoot)
  ) as Binding;
  native.setup({
    dateTimeClass: CimDateTime,
    intervalClass: CimInterval,
    // Values come from the server, which validated them on the way in; if a
    // foreign server hands back something CimDateTime cannot parse, keep the
    // text rather than fail the whole batch.
    makeDateTime: (dmtf: string) => {
      try {
        return CimDateTime.parse(dmtf);
      } catch {
        return dmtf;
      }
    },
    makeInterval: (dmtf: string) => {
      try {
        return CimInterval.parse(dmtf);
      } catch {
        return dmtf;
      }
    },
  });
  return native;
}

export const binding: Binding = load();
