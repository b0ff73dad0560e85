/** placeholder, filled in by the migrate step */
export function migrateAwsAuth(_text: string, _file: string): { yaml: string; report: string[] } {
  return { yaml: '', report: [] };
}
