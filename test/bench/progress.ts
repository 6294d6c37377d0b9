/** Progress goes to stderr, so stdout holds only the table and the JSON line. */
export const progress = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};
