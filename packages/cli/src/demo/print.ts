const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

export function stage(name: string, text: string): void {
  console.log(`${bold(`[${name}]`.padEnd(12))} ${text}`);
}
export function show(text: string): void {
  console.log(`${' '.repeat(12)} ${dim(text)}`);
}
export function done(title: string, body: string): void {
  console.log(`\n${bold(`── ${title} `.padEnd(72, '─'))}\n${body}\n`);
}
