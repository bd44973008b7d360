#!/usr/bin/env bash
# `npm run check:pack`: packs the package, checks what the tarball holds, then
# installs it into an empty project (dependencies from the npm registry, the
# addon built from source by scripts/install.js) and loads it with require()
# and with import().
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/wmi-put-pack.XXXXXX")"
if [[ -z "${KEEP_PACK_DIR:-}" ]]; then trap 'rm -rf "$work"' EXIT; else echo "check-pack: keeping $work"; fi

echo "check-pack: npm pack (runs prepare: tsc + ESM entry)"
(cd "$root" && npm pack --silent --pack-destination "$work" >/dev/null)
shopt -s nullglob
tarballs=("$work"/*.tgz)
if [[ ${#tarballs[@]} -ne 1 ]]; then echo "check-pack: expected one tarball in $work" >&2; exit 1; fi
tarball="${tarballs[0]}"
echo "check-pack: $(basename "$tarball") ($(wc -c <"$tarball") bytes)"

listing="$work/listing.txt"
tar -tzf "$tarball" | sed 's|^package/||' | sort >"$listing"
echo "check-pack: $(wc -l <"$listing") files"
fail=0
for required in package.json README.md LICENSE CMakeLists.txt cmake/mingw-w64-x86_64.cmake \
  scripts/install.js native/addon.cc native/README.md dist/lib/index.js dist/lib/index.mjs dist/lib/index.d.ts; do
  if ! grep -qx "$required" "$listing"; then echo "check-pack: MISSING $required" >&2; fail=1; fi
done
if [[ -f "$root/binding.d.ts" ]] && ! grep -qx binding.d.ts "$listing"; then
  echo "check-pack: MISSING binding.d.ts" >&2; fail=1
fi
for dir in native/com native/embedded native/client native/bridge; do
  sources=("$root/$dir"/*.cc)
  if [[ ${#sources[@]} -gt 0 ]] && ! grep -q "^$dir/[^/]*\.cc$" "$listing"; then
    echo "check-pack: MISSING sources of $dir" >&2; fail=1
  fi
done
if grep -E '^(test|bench|native/test|native/fuzz|dist/test|dist/bench|build|build-win32|node_modules|\.ci)/' "$listing"; then
  echo "check-pack: the files above must not be published" >&2; fail=1
fi
if [[ $fail -ne 0 ]]; then exit 1; fi

app="$work/app"
mkdir -p "$app"
cat >"$app/package.json" <<'EOF'
{ "name": "wmi-put-pack-check", "version": "1.0.0", "private": true }
EOF
echo "check-pack: npm install --build-from-source $(basename "$tarball") into an empty project"
# --build-from-source: even when the tarball ships a prebuild for this
# platform, the source build is what is checked here.
(cd "$app" && npm install --no-audit --no-fund --build-from-source --foreground-scripts "$tarball")

installed="$app/node_modules/wmi-put"
if [[ -d "$installed/native/test" ]]; then echo "check-pack: native/test was installed" >&2; exit 1; fi

cd "$app"
node -e '
const path = require("node:path");
const dir = path.dirname(require.resolve("wmi-put/package.json"));
const file = require("node-gyp-build").resolve(dir);
if (path.relative(dir, file) !== path.join("build", "Release", "wmi_put.node")) {
  throw new Error("expected the source build, node-gyp-build resolved " + file);
}
const fs = require("node:fs");
const release = fs.readdirSync(path.join(dir, "build", "Release")).filter((f) => f.endsWith(".node"));
if (release.length !== 1) throw new Error("build/Release holds " + release.length + " .node files");
const binding = require(file);
const names = Object.keys(binding);
if (names.length === 0) throw new Error("the addon exports nothing");
console.log("check-pack: addon " + path.relative(dir, file) + " exports: " + names.join(", "));
'
node -e '
const m = require("wmi-put");
const names = Object.keys(m);
if (names.length === 0) throw new Error("require(\"wmi-put\") exports nothing");
console.log("check-pack: require(\"wmi-put\") exports: " + names.join(", "));
'
node --input-type=module -e '
import { createRequire } from "node:module";
const m = await import("wmi-put");
const esm = Object.keys(m).filter((k) => k !== "default").sort();
const cjs = Object.keys(createRequire(import.meta.url)("wmi-put")).filter((k) => k !== "default").sort();
if (esm.length === 0) throw new Error("import(\"wmi-put\") exports nothing");
if (JSON.stringify(esm) !== JSON.stringify(cjs)) {
  throw new Error("ESM and CJS exports differ: " + esm.join(",") + " vs " + cjs.join(","));
}
for (const k of esm) if (m[k] !== createRequire(import.meta.url)("wmi-put")[k]) throw new Error("ESM " + k + " is not the CJS value");
console.log("check-pack: import(\"wmi-put\") exports: " + esm.join(", "));
'
echo "check-pack: OK"
