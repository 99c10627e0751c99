// `node dist/main.js <api origin> <frontend path>`: fetches the page at that path, narrows it
// to a review and renders it; prints what it rendered as JSON (the e2e test reads it).
import createClient from "openapi-fetch";
import type { paths } from "./api.js";
import { isReview, renderReview } from "./render.js";

async function main(origin: string, htmlPath: string): Promise<number> {
  const client = createClient<paths>({ baseUrl: origin });
  const { data, error, response } = await client.GET("/api/v2/pages/find/", {
    params: { query: { html_path: htmlPath } },
  });
  if (data === undefined) {
    console.error(`HTTP ${response.status}: ${error?.message ?? "no body"}`);
    return 1;
  }
  if (!isReview(data)) {
    console.error(`not a review: ${data.meta?.type ?? "unknown type"}`);
    return 1;
  }
  const rendered = renderReview(data);
  console.log(
    JSON.stringify({
      title: data.title,
      body: data.body.length,
      blocks: rendered.blocks,
      skipped: rendered.skipped,
      author_boxes: rendered.authorBoxes,
      film_box: rendered.filmBox,
      html_length: rendered.html.length,
    }),
  );
  return 0;
}

const [origin, htmlPath] = process.argv.slice(2);
if (origin === undefined || htmlPath === undefined) {
  console.error("usage: node dist/main.js <api origin> <frontend path>");
  process.exit(2);
}
process.exitCode = await main(origin, htmlPath);
