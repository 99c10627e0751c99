// Marquee reference frontend: renders the delivery API in plain JavaScript.
//
// Every page is one API request, because the API resolves everything a page shows
// (film, directors, critics, images with renditions, related pages):
//
//   /, /reviews/      GET pages/?type=reviews.ReviewPage      (listing)
//   /interviews/      GET pages/?type=reviews.InterviewPage   (listing)
//   /preview/?…       GET preview/?content_type=…&token=…     (an editor's draft)
//   anything else     GET pages/find/?html_path=<path>        (a review or interview)
//
// Strings from the API go into the DOM as text (text nodes and attributes, never
// innerHTML): names, titles, bios, captions, credits, quotes, alt text are plain text,
// and "<b>" in a bio must show as "<b>". Only rich text (`text` blocks and interview
// answers, the API's text/html fields), which the API sanitizes, is set as HTML, and
// only through `richText`.

const config = window.MARQUEE_CONFIG || {};
const API_BASE = new URL(config.apiBase || "http://127.0.0.1:8000/api/v2/");
const LISTING_LIMIT = 20;
const IMAGE_SIZES = "(min-width: 48rem) 46rem, 100vw";

const app = document.getElementById("app");

class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function api(path, params = {}) {
  const url = new URL(path, API_BASE);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" } });
  } catch {
    // A refused connection and a CORS refusal look the same from here.
    throw new ApiError(`Could not reach the API at ${API_BASE.origin}.`, 0);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(body.message || `The API answered ${response.status}.`, response.status);
  return body;
}

// --- DOM helpers -------------------------------------------------------------

/** h("p", {class: "x"}, "text", child) builds an element; null children are skipped. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** An element holding rich text: HTML the API has reduced to its allowlist (docs/api.md). */
function richText(tag, attributes, sanitizedHtml) {
  const element = h(tag, attributes);
  element.innerHTML = sanitizedHtml;
  return element;
}

/** Pages link to each other by their frontend URL; keep them on this origin. */
function pageHref(url) {
  return url ? new URL(url).pathname : null;
}

function picture(image, { alt, className, sizes = IMAGE_SIZES, loading = "lazy" } = {}) {
  if (!image) return null;
  const fallback = image.renditions.fallback;
  return h(
    "picture",
    { class: className },
    h("source", { type: "image/webp", srcset: image.srcset, sizes }),
    h("img", {
      src: fallback.url,
      width: fallback.width,
      height: fallback.height,
      alt: alt ?? image.alt ?? "",
      loading,
      decoding: "async",
    }),
  );
}

function formatDate(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
}

function names(people) {
  return people.map((person) => person.name).join(", ");
}

// --- body blocks ---------------------------------------------------------------

const BLOCKS = {
  text: (value) => richText("div", { class: "block-text" }, value),
  image: (value) => {
    if (!value.image) return null; // deleted or restricted image: the API sends null
    return h(
      "figure",
      { class: "block-image" },
      picture(value.image, { alt: value.decorative ? "" : value.alt }),
      value.caption || value.credit
        ? h("figcaption", {}, value.caption, value.credit ? h("span", { class: "credit" }, value.credit) : null)
        : null,
    );
  },
  pull_quote: (value) =>
    h(
      "blockquote",
      { class: "pull-quote" },
      h("p", {}, value.quote),
      value.attribution ? h("cite", {}, value.attribution) : null,
    ),
  question_answer: (value) =>
    h(
      "section",
      { class: "qa" },
      h("p", { class: "qa__question" }, value.question),
      value.speaker ? h("p", { class: "qa__speaker" }, value.speaker) : null,
      richText("div", { class: "qa__answer" }, value.answer),
    ),
};

function renderBody(blocks) {
  return h(
    "div",
    { class: "body" },
    blocks.map((block) => {
      const render = BLOCKS[block.type];
      // Unknown block types are skipped: the API may add blocks before this client knows them.
      return render ? withType(render(block.value), block.type) : null;
    }),
  );
}

function withType(element, type) {
  if (element) element.dataset.block = type;
  return element;
}

// --- page parts ------------------------------------------------------------------

function filmBox(film) {
  if (!film) return null;
  const facts = [
    film.year,
    film.runtime_minutes ? `${film.runtime_minutes} min` : null,
    film.countries.join(", ") || null,
  ].filter(Boolean);
  return h(
    "aside",
    { class: "film", "aria-label": "Film" },
    picture(film.poster, { className: "film__poster", sizes: "10rem" }),
    h(
      "div",
      {},
      h("h2", { class: "film__title" }, film.title),
      film.original_title && film.original_title !== film.title ? h("p", { class: "film__original" }, film.original_title) : null,
      film.directors.length ? h("p", { class: "film__directors" }, "Directed by ", names(film.directors)) : null,
      h("p", { class: "film__facts" }, facts.join(" · ")),
      film.synopsis ? h("p", { class: "film__synopsis" }, film.synopsis) : null,
    ),
  );
}

function authorBox(person, label) {
  const links = Object.entries(person.links || {}).filter(([, url]) => url);
  return h(
    "section",
    { class: "author", "aria-label": `${label}: ${person.name}` },
    picture(person.photo, { className: "author__photo", sizes: "6rem", alt: "" }),
    h(
      "div",
      {},
      h("p", { class: "author__label" }, label),
      h("h2", { class: "author__name" }, person.name),
      person.bio ? h("p", { class: "author__bio" }, person.bio) : null,
      links.length
        ? h(
            "ul",
            { class: "author__links" },
            links.map(([network, url]) => h("li", {}, h("a", { href: url, rel: "me noopener" }, network))),
          )
        : null,
    ),
  );
}

function relatedList(related) {
  if (!related.length) return null;
  const label = (page) => (page.type === "reviews.InterviewPage" ? "Interview" : "Review");
  return h(
    "nav",
    { class: "related", "aria-label": "Related" },
    h("h2", {}, "Related"),
    h(
      "ul",
      {},
      related.map((page) =>
        h(
          "li",
          { "data-type": page.type },
          h("span", { class: "related__kind" }, label(page)),
          h("a", { href: pageHref(page.url) }, page.title),
        ),
      ),
    ),
  );
}

function byline(page) {
  return h(
    "p",
    { class: "byline" },
    page.authors.length ? `By ${names(page.authors)}` : null,
    page.meta.first_published_at ? h("time", { datetime: page.meta.first_published_at }, ` · ${formatDate(page.meta.first_published_at)}`) : null,
    page.festival ? h("span", { class: "festival" }, ` · ${page.festival.name} ${page.festival.year}`) : null,
  );
}

/** The parts every review and interview has, in reading order. */
function renderEditorialPage(page, { kind, kicker, verdict = null, people }) {
  return h(
    "article",
    { class: `page ${kind}`, "data-page-id": page.id },
    h(
      "header",
      { class: "page__header" },
      h("p", { class: "kicker" }, kicker),
      h("h1", {}, page.title),
      verdict,
      page.summary ? h("p", { class: "standfirst" }, page.summary) : null,
      byline(page),
    ),
    picture(page.hero_image, { className: "hero", loading: "eager" }),
    filmBox(page.film),
    renderBody(page.body),
    people,
    relatedList(page.related),
  );
}

const renderReview = (page) =>
  renderEditorialPage(page, {
    kind: "review",
    kicker: "Review",
    verdict: h("p", { class: "grade", "aria-label": `Grade: ${page.grade}`, title: "Grade" }, page.grade),
    people: page.authors.map((person) => authorBox(person, "Critic")),
  });

const renderInterview = (page) =>
  renderEditorialPage(page, {
    kind: "interview",
    kicker: "Interview",
    people: [
      ...page.interviewees.map((person) => authorBox(person, "In conversation")),
      ...page.authors.map((person) => authorBox(person, "Interviewer")),
    ],
  });

const PAGE_RENDERERS = {
  "reviews.ReviewPage": renderReview,
  "reviews.InterviewPage": renderInterview,
};

function renderListing(heading, data, type, offset) {
  const item = (page) =>
    h(
      "li",
      { class: "card", "data-page-id": page.id },
      page.thumbnail ? h("img", { src: page.thumbnail.url, width: page.thumbnail.width, height: page.thumbnail.height, alt: "", loading: "lazy" }) : null,
      h(
        "div",
        {},
        h("h2", {}, h("a", { href: pageHref(page.meta.html_url) }, page.title)),
        page.grade ? h("span", { class: "grade grade--small" }, page.grade) : null,
        page.summary ? h("p", {}, page.summary) : null,
        page.author_names?.length ? h("p", { class: "byline" }, `By ${page.author_names.join(", ")}`) : null,
      ),
    );
  const next = offset + data.items.length < data.meta.total_count ? offset + LISTING_LIMIT : null;
  return h(
    "section",
    { class: "listing", "data-type": type },
    h("h1", {}, heading),
    h("ul", { class: "cards" }, data.items.map(item)),
    next !== null ? h("a", { class: "more", href: `?offset=${next}` }, "Older") : null,
  );
}

// --- routing -----------------------------------------------------------------------

const LISTINGS = {
  "/": ["Latest reviews", "reviews.ReviewPage"],
  "/reviews/": ["Reviews", "reviews.ReviewPage"],
  "/interviews/": ["Interviews", "reviews.InterviewPage"],
};

/**
 * The page's schema.org data (the API's `structured_data`) for search engines, as a
 * <script type="application/ld+json"> in <head>; removed when there is none. The JSON is
 * the element's text, never parsed as HTML, and "<" is written as \u003c (so are the two
 * line separators JavaScript once refused in strings): if the page is ever serialized to
 * HTML (server rendering, a prerenderer), a "</script>" typed into a title or summary
 * still cannot end the element.
 */
function setStructuredData(data) {
  document.getElementById("structured-data")?.remove();
  if (!data) return;
  const script = document.createElement("script");
  script.id = "structured-data";
  script.type = "application/ld+json";
  script.textContent = JSON.stringify(data)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  document.head.append(script);
}

function show(element, title, structuredData = null) {
  app.replaceChildren(element);
  document.title = title ? `${title} · Marquee` : "Marquee";
  setStructuredData(structuredData);
  app.dataset.state = "ready";
}

function showPage(page) {
  const render = PAGE_RENDERERS[page.meta.type];
  if (!render) throw new ApiError(`This frontend does not render ${page.meta.type} pages.`, 404);
  show(render(page), page.meta.seo_title || page.title, page.structured_data);
  const description = document.querySelector('meta[name="description"]');
  if (page.meta.search_description) description.setAttribute("content", page.meta.search_description);
}

async function route() {
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  if (path === "/preview/") {
    document.getElementById("preview-banner").hidden = false;
    showPage(await api("preview/", { content_type: query.get("content_type"), token: query.get("token") }));
  } else if (path in LISTINGS) {
    const [heading, type] = LISTINGS[path];
    const offset = Math.max(0, Number.parseInt(query.get("offset") || "0", 10) || 0);
    show(renderListing(heading, await api("pages/", { type, limit: LISTING_LIMIT, offset }), type, offset), path === "/" ? null : heading);
  } else {
    showPage(await api("pages/find/", { html_path: path }));
  }
}

function showError(error) {
  const status = error instanceof ApiError ? error.status : 0;
  const heading = status === 404 ? "Not found" : status === 403 ? "Preview unavailable" : "Something went wrong";
  app.replaceChildren(
    h("section", { class: "error", "data-status": status }, h("h1", {}, heading), h("p", {}, error.message)),
  );
  document.title = `${heading} · Marquee`;
  setStructuredData(null);
  app.dataset.state = "error";
}

route().catch(showError);
