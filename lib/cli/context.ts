// What every command shares: the global options, the output streams, and
// connections to one repository. The embedded backend keeps its data in a
// repository file (--repository, default in the user's data directory) so
// that successive commands see the same objects.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect, resolveBackend, type Connection } from '../connection';
import { createRepository, type Repository } from '../repository';
import { describeError, type Streams } from './output';

export type BackendOption = 'auto' | 'wmi' | 'embedded';

export interface GlobalOptions {
  namespace: string;
  /** True when --namespace was given (the `mof` command defaults to root\default otherwise). */
  namespaceGiven: boolean;
  backend: BackendOption;
  /** --repository, or undefined for the default file. */
  repository: string | undefined;
  json: boolean;
}

/**
 * The default repository file: `$WMI_PUT_REPOSITORY` if set; otherwise
 * `%LOCALAPPDATA%\wmi-put\repository.wmirepo` on Windows,
 * `~/Library/Application Support/wmi-put/repository.wmirepo` on macOS,
 * `$XDG_DATA_HOME/wmi-put/repository.wmirepo` (default `~/.local/share`) elsewhere.
 */
export function defaultRepositoryPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const file = 'repository.wmirepo';
  if (env.WMI_PUT_REPOSITORY) return env.WMI_PUT_REPOSITORY;
  if (platform === 'win32') {
    const base = env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local');
    return path.win32.join(base, 'wmi-put', file);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'wmi-put', file);
  // XDG: a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME && path.posix.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.posix.join(home, '.local', 'share');
  return path.posix.join(xdg, 'wmi-put', file);
}

export class Context {
  readonly streams: Streams;
  readonly options: GlobalOptions;
  /** The backend connections use: 'auto' resolved for this OS. */
  readonly backend: 'wmi' | 'embedded';
  #repository: Promise<Repository> | undefined;
  readonly #connections: Connection[] = [];

  constructor(options: GlobalOptions, streams: Streams) {
    this.options = options;
    this.streams = streams;
    // Only an explicit --repository makes 'auto' pick the embedded backend
    // (the default repository file is used only when embedded is chosen).
    this.backend = resolveBackend(options.backend, options.repository !== undefined);
  }

  get json(): boolean {
    return this.options.json;
  }

  /** The repository file the embedded backend uses. */
  get repositoryPath(): string {
    return this.options.repository !== undefined ? path.resolve(this.options.repository) : defaultRepositoryPath();
  }

  async #openRepository(): Promise<Repository> {
    const file = this.repositoryPath;
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    try {
      return createRepository({ path: file });
    } catch (e) {
      // E.g. another process holds the file's lock, or the file is damaged.
      throw new Error(`cannot open the repository ${file}: ${describeError(e)}`, { cause: e });
    }
  }

  /** The embedded repository (opened once per process), or undefined on WMI. */
  repository(): Promise<Repository> | undefined {
    if (this.backend !== 'embedded') return undefined;
    return (this.#repository ??= this.#openRepository());
  }

  /** A connection to `namespace` (default: --namespace); closed by close(). */
  async connect(namespace: string = this.options.namespace): Promise<Connection> {
    const repository = await this.repository();
    const conn = await connect({ backend: this.backend, namespace, ...(repository ? { repository } : {}) });
    this.#connections.push(conn);
    return conn;
  }

  /** Closes every connection, then the repository (flushing a durable one). */
  async close(): Promise<void> {
    for (const conn of this.#connections.splice(0)) await conn.close();
    const pending = this.#repository;
    this.#repository = undefined;
    if (pending) {
      const repo = await pending.catch(() => undefined);
      repo?.close();
    }
  }
}
