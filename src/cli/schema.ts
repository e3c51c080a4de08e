// `readiness-gate schema`: the JSON Schemas of the policy and evidence files, for editors
// (yaml-language-server) and other tools.
import { schemas } from "../policy/index.js";
import { parseCommandArgs, UsageError } from "./args.js";
import { type Command, EXIT, showHelp } from "./command.js";

const HELP = `Usage: readiness-gate schema

Prints the JSON Schemas of the policy file (.github/readiness.yml) and the evidence files
(artifact.yml, native evaluation results, privacy-review.yml, ROLLBACK.yml) as one JSON object,
keyed by file kind.

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
    if (positionals.length > 0) throw new UsageError(`schema: unexpected argument ${JSON.stringify(positionals[0])}`);
    io.stdout(`${JSON.stringify(schemas(), null, 2)}\n`);
    return EXIT.ok;
  },
};
