/**
 * Is this file an AsyncAPI document? A look that needs no YAML parser, so the page can
 * tell before it loads one: a `.yaml` / `.yml` name, JSON whose object has an
 * `asyncapi` key, or text that is not JSON with an `asyncapi:` line at the top level.
 */
const YAML_NAME = /\.ya?ml$/i;
const YAML_KEY = /^(asyncapi|"asyncapi"|'asyncapi')\s*:/m;

export function looksLikeAsyncApi(fileName: string, text: string): boolean {
  if (YAML_NAME.test(fileName)) return true;
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return value !== null && typeof value === 'object' && Object.hasOwn(value, 'asyncapi');
  } catch {
    return YAML_KEY.test(text);
  }
}
