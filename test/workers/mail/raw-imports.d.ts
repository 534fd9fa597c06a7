/** Vite's `?raw` suffix imports a file's text (used to check names against wrangler.toml). */
declare module '*?raw' {
  const text: string;
  export default text;
}
