// `readiness-gate schema`: the JSON Schemas of the policy and evidence files, for editors
// (yaml-language-server) and other tools. Without a NAME it prints the policy's, a schema an
// editor can use as it is; `all` prints every schema in one object keyed by name.
import { evidenceJsonSchemas } from "../evidence/json-schema.js";
import { schemas } from "../policy/index.js";
import { parseCommandArgs, UsageError } from "./args.js";
import { type Command, EXIT, showHelp } from "./command.js";

const ALL = "all";

function allSchemas(): Record<string, object> {
  return { ...schemas(), ...evidenceJsonSchemas() };
}

const HELP = `Usage: readiness-gate schema [NAME]

Prints the JSON Schema of one file, for an editor or another tool. Without NAME, the policy's
(.github/readiness.yml):

  readiness-gate schema > readiness.schema.json
  # yaml-language-server: $schema=./readiness.schema.json   (first line of the policy file)

Names:
  policy      .github/readiness.yml (the default)
  manifest    <root>/artifact.yml
  privacy     privacy-review.yml
  rollback    a rollback plan in YAML (ROLLBACK.yml)
  results     evaluation results in the native format (eval/results.json or .yml)
  evaluated   evaluated.yml, the evaluated: block beside results of other formats
  ${ALL}         every schema above, in one JSON object keyed by name (not itself a schema)

Options:
  -h, --help   show this help
`;

export const schemaCommand: Command = {
  name: "schema",
  summary: "print the JSON Schema of the policy (or of an evidence file: schema NAME)",
  help: HELP,
  async run(args, io) {
    const { positionals, help } = parseCommandArgs("schema", args, []);
    if (help) return showHelp(io, HELP);
    if (positionals.length > 1) throw new UsageError("schema: give at most one schema NAME");
    const all = allSchemas();
    const [name = "policy"] = positionals;
    if (name === ALL) {
      io.stdout(`${JSON.stringify(all, null, 2)}\n`);
      return EXIT.ok;
    }
    if (!Object.hasOwn(all, name)) {
      throw new UsageError(
        `schema: no schema named ${JSON.stringify(name)} (known: ${[...Object.keys(all), ALL].join(", ")})`,
      );
    }
    io.stdout(`${JSON.stringify(all[name], null, 2)}\n`);
    if (positionals.length === 0) {
      const others = Object.keys(all).filter((n) => n !== "policy");
      io.stderr(
        `note: printed the policy's schema; the evidence files' are schema NAME (${others.join(", ")})\n`,
      );
    }
    return EXIT.ok;
  },
};
