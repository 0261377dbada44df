import type { CsvTable } from '../../io/csv';

/** One option of a `radnomo stats <analysis>` command, in commander's flag syntax. */
export interface StatsOption {
  /** e.g. '--outcome <column>' or '--boot <n>' or '--json' */
  flags: string;
  description: string;
  defaultValue?: string;
  required?: boolean;
}

/** What an analysis returns: a JSON-able object and the readable text printed without --json. */
export interface StatsOutput {
  json: Record<string, unknown>;
  text: string;
}

/**
 * A `radnomo stats <name>` analysis. Each lives in its own file in src/cli/stats/ and is listed
 * in src/cli/stats/index.ts. `run` gets the parsed --data CSV and the option values (commander's
 * camel-cased keys, all strings or booleans) and throws RadnomoError on bad input.
 */
export interface StatsAnalysis {
  name: string;
  summary: string;
  options: StatsOption[];
  run(table: CsvTable, opts: Record<string, string | boolean | undefined>): StatsOutput;
}
