// --route 'MATCH=>TARGET' (repeatable) and --routes FILE, as `listen` and `replay` take them: one
// reading, so a rule means the same in both. Any rule that cannot be used stops the command with
// a message naming the rule and what is wrong with it; none is ever left out silently.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseRoutesJson, parseRouteText, type Route } from '../core/routes/routeRules';
import { toSingleLine } from '../shared/visibleText';
import { UsageError } from './io';

/** The two options, for parseArgs. */
export const ROUTE_PARSE_OPTIONS = {
  route: { type: 'string' as const, multiple: true as const, default: [] as string[] },
  routes: { type: 'string' as const },
};

/**
 * The routes of --routes FILE (first) and each --route (in order). Throws a UsageError (exit 2)
 * naming every rule that cannot be used and why.
 */
export async function routesFromOptions(
  file: string | undefined,
  texts: readonly string[],
): Promise<Route[]> {
  const routes: Route[] = [];
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(resolve(file), 'utf8');
    } catch (error) {
      throw new UsageError(
        `--routes ${file}: the file could not be read (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
    const parsed = parseRoutesJson(text);
    if (parsed.problems.length === 1) {
      throw new UsageError(`--routes ${file}: ${parsed.problems[0] ?? ''}.`);
    }
    if (parsed.problems.length > 1) {
      throw new UsageError(
        `--routes ${file}: ${parsed.problems.length} rules cannot be used:\n${parsed.problems.map((problem) => `  ${problem}.`).join('\n')}`,
      );
    }
    routes.push(...parsed.routes);
  }
  for (const text of texts) {
    const checked = parseRouteText(text);
    if (!checked.ok)
      throw new UsageError(`--route '${toSingleLine(text, 120)}': ${checked.error}.`);
    routes.push(checked.route);
  }
  // Names must differ (the health figures count by name); the same match twice never fires.
  const names = new Set<string>();
  for (const route of routes) {
    if (names.has(route.name)) {
      throw new UsageError(
        `two routes are called ${route.name}: the second can never match. Remove it, or name them in --routes.`,
      );
    }
    names.add(route.name);
  }
  return routes;
}
