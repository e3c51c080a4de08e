// `readiness-gate schema`: the JSON Schemas of the policy and evidence files, for editors
// (yaml-language-server) and other tools.
import { evidenceJsonSchemas } from "../evidence/json-schema.js";
import { schemas } from "../policy/index.js";
import { parseCommandArgs, UsageError } from "./args.js";
import { type Command, EXIT, showHelp } from "./command.js";

const HELP = `Usage: readiness-gate schema [NAME]

Prints the JSON Schemas of the policy file (.github/readiness.yml) and the evidence files as
one JSON object keyed by name, or with NAME (e.g. policy) only that schema, for an editor:

  readiness-gate schema policy > readiness.schema.json

Options:
  -h, --help   show this help
`;

export const schemaCommand: Command = {
  name: "schema",
  summary: "print the JSON Schema of the policy and evidence files",
  help: HELP,
  async run(args, io) {
    const { positionals, help } = parseCommandArgs("schema", args, []);
    if (help) return showHelp(io, HELP);
    if (positionals.length > 1) throw new UsageError("schema: give at most one schema NAME");
    const all: Record<string, object> = { ...schemas(), ...evidenceJsonSchemas() };
    const [name] = positionals;
    if (name !== undefined && !Object.hasOwn(all, name)) {
      throw new UsageError(
        `schema: no schema named ${JSON.stringify(name)} (known: ${Object.keys(all).join(", ")})`,
      );
    }
    io.stdout(`${JSON.stringify(name === undefined ? all : all[name], null, 2)}\n`);
    return EXIT.ok;
  },
};
