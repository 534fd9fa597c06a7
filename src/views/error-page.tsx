/** @module views/error-page — what an error page says; web/render's `renderError` answers with it. */

export function ErrorMessage({ title, message }: { title: string; message: string }) {
  return (
    <article class="error-page" aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Back to your projects</a>
      </p>
    </article>
  );
}

export const notFoundMessage =
  'There is nothing here. The link may be mistyped, or it may point to something you cannot see.';
