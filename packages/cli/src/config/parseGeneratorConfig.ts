import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { CliInputError } from '../errors';
import { generatorConfigSchema, type GeneratorConfig } from './generatorConfig';

/** Default file name looked up in the working directory. */
export const defaultConfigFileName = 'bizmetrics.alerts.yaml';

function describeIssues(source: string, issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.map((issue) => {
    const field = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    return `  - ${field}: ${issue.message}`;
  });
  return `${source}: ${issues.length} problem(s):\n${lines.join('\n')}`;
}

/** Validates an already parsed config object; throws `CliInputError` naming each bad field. */
export function parseGeneratorConfig(value: unknown, source = 'config'): GeneratorConfig {
  const result = generatorConfigSchema.safeParse(value ?? undefined);
  if (!result.success) throw new CliInputError(describeIssues(source, result.error.issues));
  return result.data;
}

/** Reads and validates a YAML config file. */
export async function readGeneratorConfig(path: string): Promise<GeneratorConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliInputError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new CliInputError(`${path}: not valid YAML: ${(error as Error).message}`);
  }
  return parseGeneratorConfig(value, path);
}
