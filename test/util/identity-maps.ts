import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';

let validator: ValidateFunction | undefined;

/**
 * Checks every identity map of a cloud assembly directory: the JSON matches the documented,
 * versioned shape (schema/identity-map.schema.json), and neither file holds a CDK token
 * (`${Token[...]}`, or the `#{Token[...]}` of a token list). Returns the maps by artifact id.
 */
export function checkIdentityMaps(dir: string): Record<string, any> {
  validator ??= new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'identity-map.schema.json'), 'utf8')));
  const maps: Record<string, any> = {};
  for (const f of fs.readdirSync(dir)) {
    if (!/\.identity\.(md|json)$/.test(f)) continue;
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const token = /[$#]\{Token\[[^\]]*\]\}|\$\{Token\[/.exec(text);
    if (token) throw new Error(`${f} holds a CDK token (${token[0]}): every value of the identity map must be readable`);
    if (f.endsWith('.json')) {
      const json = JSON.parse(text);
      if (!validator(json)) throw new Error(`${f} does not match schema/identity-map.schema.json: ${JSON.stringify(validator.errors)}`);
      maps[f.replace(/\.identity\.json$/, '')] = json;
    }
  }
  return maps;
}
