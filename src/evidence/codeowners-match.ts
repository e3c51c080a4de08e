// "Which CODEOWNERS rule owns this path", without regular expressions. A glob compiled to a
// regular expression backtracks: `*a*a*a*a*a*a*a*b` against an 80-character file name took
// minutes, and file names come from the pull request. Here a rule is a list of path segments
// matched by the two-pointer wildcard algorithm (backtracking only to the last `*`), once over
// the characters of a segment and once over the segments of a path (`**` being the star), which
// is at most the product of the lengths, never exponential. Rules without wildcards, most of
// any real file, are looked up by the path's prefixes and names instead of tried one by one.
import type { Codeowners, CodeownersRule } from "./types.js";

/** `?`: any one character of a segment; `*`: any run of them. */
const ANY = 0;
const STAR = 1;
type Atom = string | typeof ANY | typeof STAR;
/** A whole `**` segment: any number of segments, none included. */
const GLOBSTAR = 2;
type Segment = Atom[] | typeof GLOBSTAR;

/** A rule's segments, with what a matching path must have, to pass over most rules at once. */
interface Pattern {
  segments: Segment[];
  /** The fewest segments a matching path has, and the most (when there is no `**`). */
  fewest: number;
  most: number;
  /** The literal text the path's last segment ends with, when the pattern's last segment ends in one. */
  ending: string;
  /**
   * Only `*` and `**` segments (`*`, `/**`, `**` then `*`): any path with a fitting number of segments
   * matches, without looking at its names. The commonest rule of all, `* @org/team`, is one.
   */
  anyName: boolean;
}

function pattern(segments: Segment[]): Pattern {
  const fixed = segments.filter((s) => s !== GLOBSTAR).length;
  const last = segments.at(-1);
  let ending = "";
  if (last !== undefined && last !== GLOBSTAR) {
    for (let i = last.length - 1; i >= 0 && typeof last[i] === "string"; i--) ending = last[i] + ending;
  }
  return {
    segments,
    fewest: fixed,
    most: segments.includes(GLOBSTAR) ? Number.POSITIVE_INFINITY : fixed,
    ending,
    anyName: segments.every((s) => s === GLOBSTAR || (s.length === 1 && s[0] === STAR)),
  };
}

interface Matcher {
  /** The last rule matching each path, by the rule's index (a literal path or name). */
  exact: Map<string, number>;
  /** …matching each path below a directory of that path or name. */
  below: Map<string, number>;
  anchoredExact: Map<string, number>;
  anchoredBelow: Map<string, number>;
  /** Rules with wildcards, in file order, each as the segment lists that it matches. */
  wild: Array<{ index: number; alternatives: Pattern[] }>;
  /** Whether any rule is looked up by name (most files have some; `* @team` alone has none). */
  literal: boolean;
}

// Compiled once per parsed file: a PR can touch 3,000 files against hundreds of rules.
const cache = new WeakMap<Codeowners, Matcher>();

/** The rule GitHub applies to `path` (repository-relative, no leading `/`): the last that matches. */
export function lastMatchingRule(codeowners: Codeowners, path: string): CodeownersRule | undefined {
  let matcher = cache.get(codeowners);
  if (!matcher) {
    matcher = compile(codeowners.rules);
    cache.set(codeowners, matcher);
  }
  let best = -1;
  let count = 1;
  for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) count += 1;
  // Split only when a rule looks at names: a file whose rules are all `*` never needs it.
  let segments: string[] | undefined;
  if (matcher.literal) {
    segments = path.split("/");
    for (let end = 0, i = 0; i < segments.length; i++) {
      const name = segments[i] as string;
      end += (i > 0 ? 1 : 0) + name.length;
      const last = i === segments.length - 1;
      const anchored = (last ? matcher.anchoredExact : matcher.anchoredBelow).get(path.slice(0, end));
      const anywhere = (last ? matcher.exact : matcher.below).get(name);
      best = Math.max(best, anchored ?? -1, anywhere ?? -1);
    }
  }
  for (let w = matcher.wild.length - 1; w >= 0; w--) {
    const { index, alternatives } = matcher.wild[w] as Matcher["wild"][number];
    if (index <= best) break;
    for (const pattern of alternatives) {
      if (count < pattern.fewest || count > pattern.most) continue;
      if (!pattern.anyName) {
        if (pattern.ending !== "" && !path.endsWith(pattern.ending)) continue;
        segments ??= path.split("/");
        if (!matchPath(pattern.segments, segments)) continue;
      }
      best = index;
      break;
    }
    if (best === index) break;
  }
  return best === -1 ? undefined : codeowners.rules[best];
}

function compile(rules: CodeownersRule[]): Matcher {
  const matcher: Matcher = {
    exact: new Map(),
    below: new Map(),
    anchoredExact: new Map(),
    anchoredBelow: new Map(),
    wild: [],
    literal: false,
  };
  rules.forEach((rule, index) => {
    const { anchored, segments, self, inside } = readPattern(rule.pattern);
    if (segments.length === 0) return;
    const literal = literalText(segments);
    if (literal !== undefined) {
      matcher.literal = true;
      if (self) (anchored ? matcher.anchoredExact : matcher.exact).set(literal, index);
      if (inside) (anchored ? matcher.anchoredBelow : matcher.below).set(literal, index);
      return;
    }
    const rooted: Segment[] = anchored ? segments : [GLOBSTAR, ...segments];
    const alternatives: Pattern[] = [];
    if (self) alternatives.push(pattern(rooted));
    if (inside) alternatives.push(pattern([...rooted, GLOBSTAR, [STAR]]));
    matcher.wild.push({ index, alternatives });
  });
  return matcher;
}

/** Whether a rule is tried against each path in turn, rather than looked up by the path's names. */
export function isWildcardRule(rulePattern: string): boolean {
  const { segments } = readPattern(rulePattern);
  return segments.length > 0 && literalText(segments) === undefined;
}

/** The segments as a path when they hold no wildcard. */
function literalText(segments: Segment[]): string | undefined {
  let text = "";
  for (const [i, segment] of segments.entries()) {
    if (segment === GLOBSTAR || segment.some((atom) => typeof atom !== "string")) return undefined;
    text += (i > 0 ? "/" : "") + segment.join("");
  }
  return text;
}

/**
 * A CODEOWNERS pattern (gitignore rules, as GitHub applies them):
 * - a leading `/` anchors to the root, and so does any other slash; a pattern with no slash but
 *   a trailing one matches at any depth;
 * - a trailing `/` matches what is inside the directory, never a file of that name;
 * - `dir/*` matches the files directly in `dir` only (GitHub's documented exception);
 * - otherwise the pattern matches the path itself and, as a directory, everything below it.
 * `\x` is the character x; `**` is any depth only as a whole segment, and a `*` elsewhere. A
 * `.` or `..` segment is a name like any other, so it matches nothing in a repository.
 */
function readPattern(pattern: string): {
  anchored: boolean;
  segments: Segment[];
  /** Matches a path equal to the pattern; `inside`: a path below it. */
  self: boolean;
  inside: boolean;
} {
  const raw: string[] = [];
  const segments: Atom[][] = [];
  let atoms: Atom[] = [];
  let text = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "/") {
      segments.push(atoms);
      raw.push(text);
      atoms = [];
      text = "";
      continue;
    }
    text += ch;
    if (ch === "\\" && i + 1 < pattern.length) {
      const next = pattern[++i] as string;
      text += next;
      atoms.push(next);
    } else if (ch === "*") {
      if (atoms.at(-1) !== STAR) atoms.push(STAR);
    } else if (ch === "?") {
      atoms.push(ANY);
    } else {
      atoms.push(ch);
    }
  }
  segments.push(atoms);
  raw.push(text);
  const directoryOnly = raw.length > 1 && raw.at(-1) === "";
  while (raw.length > 0 && raw.at(-1) === "") {
    raw.pop();
    segments.pop();
  }
  let anchored = raw.length > 1;
  while (raw.length > 0 && raw[0] === "") {
    raw.shift();
    segments.shift();
    anchored = true;
  }
  const last = raw.at(-1);
  const compiled: Segment[] = [];
  raw.forEach((part, i) => {
    if (part !== "**") compiled.push(segments[i] as Atom[]);
    else if (compiled.at(-1) !== GLOBSTAR) compiled.push(GLOBSTAR);
  });
  // `**/name` is `name`, and what is inside `dir/**` is what is inside `dir`: both are looked up.
  if (anchored && compiled.length === 2 && compiled[0] === GLOBSTAR && literalText(compiled.slice(1))) {
    anchored = false;
    compiled.shift();
  }
  if (last === "**" && compiled.length > 1) compiled.pop();
  if (directoryOnly || last === "**") return { anchored, segments: compiled, self: false, inside: true };
  if (last === "*") return { anchored, segments: compiled, self: true, inside: false };
  return { anchored, segments: compiled, self: true, inside: true };
}

/** Whether the path's segments match `pattern`: the wildcard algorithm with `**` as the star. */
function matchPath(pattern: Segment[], path: string[]): boolean {
  return wildcardMatch(
    pattern,
    path,
    (segment) => segment === GLOBSTAR,
    (segment, name) => segment !== GLOBSTAR && matchSegment(segment, name),
  );
}

/** Whether one path segment matches a segment pattern: the same algorithm over characters. */
function matchSegment(atoms: Atom[], text: string): boolean {
  return wildcardMatch(
    atoms,
    text,
    (atom) => atom === STAR,
    (atom, ch) => atom === ANY || atom === ch,
  );
}

/**
 * The two-pointer wildcard algorithm: on a mismatch it backtracks only to the last star, so the
 * work is at most the product of the lengths.
 */
function wildcardMatch<P, T>(
  pattern: readonly P[],
  items: ArrayLike<T>,
  isStar: (p: P) => boolean,
  matchOne: (p: P, item: T) => boolean,
): boolean {
  let p = 0;
  let i = 0;
  let star = -1;
  let resume = 0;
  while (i < items.length) {
    const part = pattern[p];
    if (part !== undefined && !isStar(part) && matchOne(part, items[i] as T)) {
      p += 1;
      i += 1;
    } else if (part !== undefined && isStar(part)) {
      star = p++;
      resume = i;
    } else if (star !== -1) {
      p = star + 1;
      i = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && isStar(pattern[p] as P)) p += 1;
  return p === pattern.length;
}
