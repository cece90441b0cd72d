// The only reader of the config file and of ESGATE_* variables: file → env → overrides, parsed once,
// every problem reported with its dotted path, then deep-frozen.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { configSchema, type Config } from './schema.js';

export class ConfigError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export interface LoadConfigOptions {
  /** --config PATH; when absent, config/esgate.yml under cwd is read if it exists. */
  readonly configPath?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Programmatic settings applied last (tests). */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

type Tree = Record<string, unknown>;

const ENV_PREFIX = 'ESGATE_';
/** ESGATE_* variables that are not settings. */
const NON_SETTING_ENV = new Set(['ESGATE_CONFIG']);
/** Short names kept for operators used to them (the issue's ESGATE_PORT); the long name is canonical. */
const ENV_ALIASES: Readonly<Record<string, string>> = { ESGATE_PORT: 'ESGATE_HTTP_PORT', ESGATE_HOST: 'ESGATE_HTTP_HOST' };

const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);

/** ESGATE_UPSTREAM_URL → {path: ['upstream','url'], sample: default value}, derived from the schema's defaults. */
function envSettings(): Map<string, { path: string[]; sample: unknown }> {
  const out = new Map<string, { path: string[]; sample: unknown }>();
  const walk = (node: Tree, prefix: string[]): void => {
    for (const [key, value] of Object.entries(node)) {
      const keyPath = [...prefix, key];
      if (isTree(value)) walk(value, keyPath);
      else out.set(ENV_PREFIX + keyPath.join('_').toUpperCase(), { path: keyPath, sample: value });
    }
  };
  walk(configSchema.parse({}) as Tree, []);
  return out;
}

function envValue(raw: string, sample: unknown): unknown {
  if (Array.isArray(sample)) return raw.trim() === '' ? [] : raw.split(',').map((item) => item.trim());
  if (typeof sample === 'number') return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof sample === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

function setPath(tree: Tree, keyPath: readonly string[], value: unknown): void {
  let node = tree;
  keyPath.forEach((key, index) => {
    if (index === keyPath.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (!isTree(next)) node[key] = {};
    node = node[key] as Tree;
  });
}

function deepMerge(base: Tree, extra: Readonly<Tree>): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] = isTree(current) && isTree(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function readFile(file: string, issues: string[]): Tree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    issues.push(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return {};
  }
  try {
    const parsed: unknown = YAML.parse(text);
    if (parsed === null || parsed === undefined) return {};
    if (!isTree(parsed)) {
      issues.push(`${file}: must hold a YAML mapping of settings`);
      return {};
    }
    return parsed;
  } catch (err) {
    issues.push(`${file}: is not valid YAML (${(err as Error).message.split('\n')[0]})`);
    return {};
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const issues: string[] = [];

  const explicitPath = options.configPath ?? env['ESGATE_CONFIG'];
  let tree: Tree = {};
  if (explicitPath !== undefined && explicitPath !== '') {
    tree = readFile(path.resolve(cwd, explicitPath), issues);
  } else {
    const defaultPath = path.resolve(cwd, 'config/esgate.yml');
    if (existsSync(defaultPath)) tree = readFile(defaultPath, issues);
  }

  const settings = envSettings();
  /** dotted path → the variable that set it, so a bad value's message says where it came from. */
  const fromEnv = new Map<string, string>();
  for (const [alias, canonical] of Object.entries(ENV_ALIASES)) {
    const short = env[alias];
    const long = env[canonical];
    if (short !== undefined && long !== undefined && short !== long) {
      issues.push(`${settings.get(canonical)?.path.join('.') ?? canonical}: ${alias} and ${canonical} disagree; set only one`);
    }
  }
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith(ENV_PREFIX) || raw === undefined || NON_SETTING_ENV.has(variable)) continue;
    const name = ENV_ALIASES[variable] ?? variable;
    const setting = settings.get(name);
    if (!setting) {
      issues.push(`${variable}: is not an esgate setting`);
      continue;
    }
    setPath(tree, setting.path, envValue(raw, setting.sample));
    fromEnv.set(setting.path.join('.'), variable);
  }
  if (options.overrides) tree = deepMerge(tree, options.overrides);

  const result = configSchema.safeParse(tree);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        // One line per unknown key, with its full dotted path, like every other problem.
        for (const key of issue.keys) issues.push(`${[...issue.path, key].join('.')}: is not an esgate setting`);
        continue;
      }
      const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
      const variable = fromEnv.get(where);
      issues.push(`${where}: ${issue.message}${variable === undefined ? '' : ` (set by ${variable})`}`);
    }
  }
  if (issues.length > 0 || !result.success) throw new ConfigError(issues);
  return deepFreeze(result.data);
}
