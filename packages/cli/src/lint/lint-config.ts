import { readFileSync } from 'node:fs';
import type { Plugin, RawUniversalConfig } from '@redocly/openapi-core';
import { CliError } from '../cli/cli-error.js';

/** The rule sets `macaron lint` offers without a redocly.yaml. */
export const lintPresets = ['macaron', 'recommended'] as const;

/** `macaron`: Macaron's rules alone; `recommended`: those plus redocly's recommended rules. */
export type LintPreset = (typeof lintPresets)[number];

// The plugin entry a project's redocly.yaml names: replaced by the plugin object itself.
const macaronPluginEntry = /@macaron\/cli\/redocly-plugin|redocly-plugin\.[cm]?js$/;

/**
 * The redocly configuration of a lint run: a preset, or a project's redocly.yaml with Macaron's
 * plugin in it (its own `plugins` entry for it is replaced, and `macaron/recommended` added
 * unless the file already extends or configures Macaron's rules).
 */
export async function lintConfig(
  plugin: Plugin,
  choice: { preset: LintPreset } | { configPath: string },
): Promise<RawUniversalConfig> {
  if ('preset' in choice) {
    return {
      plugins: [plugin],
      extends:
        choice.preset === 'recommended'
          ? ['recommended', 'macaron/recommended']
          : ['macaron/recommended'],
      // A reference that resolves nowhere keeps the spec from loading at all: Macaron's rules
      // then have nothing to say, so the preset reports the cause itself.
      rules: { 'no-unresolved-refs': 'error' },
    } as RawUniversalConfig;
  }
  const { parseYaml } = await import('@redocly/openapi-core');
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(choice.configPath, 'utf8'));
  } catch (error) {
    const reason =
      (error as { code?: string }).code === 'EISDIR'
        ? 'it is a directory, not a redocly configuration'
        : (error as Error).message.split('\n')[0];
    throw new CliError(`cannot read ${choice.configPath}: ${reason}`);
  }
  const config = (raw ?? {}) as Record<string, unknown>;
  if (typeof config !== 'object' || Array.isArray(config))
    throw new CliError(`${choice.configPath} is not a redocly configuration`);
  const plugins = (Array.isArray(config.plugins) ? config.plugins : []).filter(
    (entry) => typeof entry !== 'string' || !macaronPluginEntry.test(entry),
  );
  const extended = Array.isArray(config.extends) ? (config.extends as unknown[]) : ['recommended'];
  const mentionsMacaron =
    extended.some((entry) => typeof entry === 'string' && entry.startsWith('macaron/')) ||
    Object.keys((config.rules as object | undefined) ?? {}).some((rule) =>
      rule.startsWith('macaron/'),
    );
  return {
    ...config,
    plugins: [plugin, ...plugins],
    extends: mentionsMacaron ? extended : [...extended, 'macaron/recommended'],
  } as RawUniversalConfig;
}
