// The backends the conformance suite runs against, in one place. Every test
// file loops over `backends` and gives each describe() the `skip` below, so a
// backend that cannot run here is reported as skipped with its reason, never
// silently left out.
//
// - embedded: the in-process WMI of this package; available on every OS. Each
//   test gets an isolated repository (createRepository()) and works in
//   root\cimv2.
// - wmi: the real Windows service (backend: 'wmi'). There is no isolated
//   repository there, so each test works in a scratch namespace it creates
//   under root (root\wmiput_suite_<random>) and deletes at the end.
export type BackendName = 'embedded' | 'wmi';

export interface BackendInfo {
  readonly name: BackendName;
  /** `false` when the backend runs here; otherwise the reason it is skipped. */
  readonly skip: string | false;
  /** The backend has the embedded test controls (setDelivery, injectFault, ...). */
  readonly controls: boolean;
}

export const backends: readonly BackendInfo[] = [
  { name: 'embedded', skip: false, controls: true },
  {
    name: 'wmi',
    skip:
      process.platform !== 'win32'
        ? `backend 'wmi' needs Windows (this is ${process.platform}); the embedded backend runs the same tests`
        : process.env.WMI_PUT_WINE === '1'
          ? "Wine's WMI (wbemprox) implements PutInstance/PutClass as stubs that fail; test/wmi-smoke.test.ts covers what it can do"
          : false,
    controls: false,
  },
];

/** The skip reason for a test that needs the embedded test controls. */
export function needsControls(b: BackendInfo): string | false {
  if (b.skip) return b.skip;
  return b.controls ? false : `needs the embedded repository's test controls (setDelivery/injectFault), which backend '${b.name}' does not have`;
}
