// Reading and rewriting one variable of a .env file, for scripts/rotate-key.mjs. Plain Node (no
// dependencies) so the script runs wherever the app's production install does.
import { randomBytes } from "node:crypto";
import nodeFs from "node:fs";
import path from "node:path";

const ASSIGNMENT = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=[ \t]*)(.*)$/;

/**
 * Splits what follows `NAME=` into the value and what surrounds it, the way dotenv files are
 * written: `"quoted"` or `'quoted'` values (anything after the closing quote, such as a comment,
 * is kept aside), or bare values that end at ` #` (an inline comment) with trailing space trimmed.
 */
export function parseValue(rest) {
  const quote = rest[0];
  if (quote === '"' || quote === "'") {
    for (let i = 1; i < rest.length; i++) {
      if (quote === '"' && rest[i] === "\\") {
        i++;
        continue;
      }
      if (rest[i] === quote) {
        const inner = rest.slice(1, i);
        const value = quote === '"' ? inner.replace(/\\(["\\])/g, "$1") : inner;
        return { value, quote, suffix: rest.slice(i + 1) };
      }
    }
    // No closing quote: take the text as it is rather than guess.
  }
  const comment = /(^|\s+)#/.exec(rest);
  const bare = comment ? rest.slice(0, comment.index) : rest;
  const value = bare.trimEnd();
  return { value, quote: "", suffix: rest.slice(value.length) };
}

function lines(text) {
  return text.split("\n").map((line) => (line.endsWith("\r") ? { body: line.slice(0, -1), eol: "\r" } : { body: line, eol: "" }));
}

/** The value of NAME in a .env text (the last assignment wins, as when a shell sources it), or undefined. */
export function readVar(text, name) {
  let found;
  for (const { body } of lines(text)) {
    const m = ASSIGNMENT.exec(body);
    if (m && m[2] === name) found = parseValue(m[4]).value;
  }
  return found;
}

/** The text with NAME set to value: every assignment of NAME is rewritten in place (keeping its quotes and comment), or one is appended. */
export function setVar(text, name, value) {
  let found = false;
  const out = lines(text).map(({ body, eol }) => {
    const m = ASSIGNMENT.exec(body);
    if (!m || m[2] !== name) return body + eol;
    found = true;
    const { quote, suffix } = parseValue(m[4]);
    return `${m[1]}${name}${m[3]}${quote}${value}${quote}${suffix}${eol}`;
  });
  if (!found) {
    if (out.length && out[out.length - 1] === "") out.splice(out.length - 1, 0, `${name}=${value}`);
    else out.push(`${name}=${value}`);
  }
  return out.join("\n");
}

/**
 * Step one of an atomic rewrite, taken before anything irreversible: resolves symlinks (so the
 * link stays a link and its target is what changes) and creates the temporary file beside the
 * target, exclusively and with mode 0600. Throws if that is impossible, e.g. a read-only folder.
 */
export function prepareWrite(file, fs = nodeFs) {
  const target = fs.realpathSync(file);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fd = fs.openSync(tmp, "wx", 0o600);
  return { target, tmp, fd, fs };
}

/** Step two: write, flush to disk, and rename over the target (readers see the old file or the new one, never half). */
export function commitWrite(pending, text) {
  const { fs, fd, tmp, target } = pending;
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
    pending.fd = null;
  }
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, target);
}

/** Removes the temporary file of a write that will not happen (or failed). Never throws. */
export function discardWrite(pending) {
  if (!pending) return;
  try {
    if (pending.fd !== null) pending.fs.closeSync(pending.fd);
  } catch {
    // already closed
  }
  try {
    pending.fs.unlinkSync(pending.tmp);
  } catch {
    // already renamed or never created
  }
}
