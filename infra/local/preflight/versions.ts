/** Reads the Java major version from `java -version` output; Java 8 and older report "1.8.0_x". */
export const parseJavaMajor = (output: string): number | undefined => {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return undefined;
  const major = Number(match[1] === '1' ? match[2] : match[1]);
  return Number.isInteger(major) ? major : undefined;
};

/** The first dotted version number in a tool's `--version` output, e.g. `Terraform v1.11.4` gives `1.11.4`. */
export const firstVersion = (output: string): string | undefined => /\d+(?:\.\d+)+/.exec(output)?.[0];

/** True when `version` is at least `min`, comparing dotted parts as numbers (a missing part counts as 0). */
export const isAtLeast = (version: string, min: string): boolean => {
  const have = version.split('.').map(Number);
  const need = min.split('.').map(Number);
  for (let index = 0; index < Math.max(have.length, need.length); index++) {
    const a = have[index] ?? 0;
    const b = need[index] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
};
