// The fast paths of parseYaml must be invisible: the same values, the same errors and the same
// line and column for every key and value as the YAML parser gives for the same text.
import { expect } from "vitest";
import {
  locate,
  parseYaml,
  parseYamlDocument,
  type YamlFile,
  type YamlResult,
} from "../../src/policy/yaml.js";

type Step = string | number;

/** Every key path in a value, including one step past each map and list (a missing key). */
function keyPaths(value: unknown, prefix: Step[] = []): Step[][] {
  const paths: Step[][] = [prefix];
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) paths.push(...keyPaths(item, [...prefix, index]));
    paths.push([...prefix, value.length], [...prefix, "length"]);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) paths.push(...keyPaths(item, [...prefix, key]));
    paths.push([...prefix, "no such key"], [...prefix, 0]);
  }
  return paths;
}

function positions(file: YamlFile): unknown[] {
  return keyPaths(file.value).flatMap((path) => [
    [path, locate(file, path)],
    [path, "key", locate(file, path, { key: true })],
  ]);
}

/** What a caller can observe of a result. */
function observable(result: YamlResult) {
  if (!result.ok) return { errors: result.errors };
  return { value: result.file.value, positions: positions(result.file) };
}

export function expectSameAsYaml(text: string) {
  const fast = parseYaml("f.json", text);
  const slow = parseYamlDocument("f.json", text);
  expect(observable(fast)).toEqual(observable(slow));
  if (fast.ok && slow.ok) expect(Object.is(fast.file.value, -0)).toBe(Object.is(slow.file.value, -0));
}
