// Parses and validates one AsyncAPI document; prints every diagnostic, exits 1 when any is an error.
import { Parser, fromFile } from '@asyncapi/parser';

const severities = ['error', 'warning', 'info', 'hint'];
const { document, diagnostics } = await fromFile(new Parser(), process.argv[2]).parse();
for (const d of diagnostics) {
  console.log(`${severities[d.severity]} ${d.code} ${d.path.join('.')}: ${d.message}`);
}
const errors = diagnostics.filter(d => d.severity === 0).length;
if (!document || errors > 0) {
  console.log(`INVALID: ${errors} errors`);
  process.exit(1);
}
console.log(`VALID: asyncapi ${document.version()}, ${document.channels().length} channels, `
  + `${document.components().messages().length} messages`);
